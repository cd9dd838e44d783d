import Foundation

extension Flow {
    /// Reads a file that holds one flow, possibly spread over lines (like the files in `flows/`).
    public static func load(contentsOf path: String) throws(FlowError) -> Flow {
        let text = try readText(path)
        do {
            return try parse(text)
        } catch {
            throw error.in(file: path)
        }
    }

    /// Reads a file that holds one flow per line (like OpenABC-D's recipe list).
    public static func loadList(contentsOf path: String) throws(FlowError) -> [Flow] {
        let text = try readText(path)
        do {
            return try parseList(text)
        } catch {
            throw error.in(file: path)
        }
    }

    /// ``loadList(contentsOf:)`` with the 1-based line of each flow.
    public static func loadNumberedList(contentsOf path: String) throws(FlowError) -> [(line: Int, flow: Flow)] {
        let text = try readText(path)
        do {
            return try parseNumberedList(text)
        } catch {
            throw error.in(file: path)
        }
    }

    /// The distinct flows of a list file, in first-seen order, and a notice per line that repeats
    /// an earlier one (`b` and `balance` are the same flow): `FILE:L: same flow as line K (...), merged`.
    public static func loadDistinctList(contentsOf path: String) throws(FlowError) -> (flows: [Flow], notices: [String]) {
        var first: [Flow: Int] = [:]
        var flows: [Flow] = []
        var notices: [String] = []
        for (line, flow) in try loadNumberedList(contentsOf: path) {
            if let earlier = first[flow] {
                notices.append("\(path):\(line): same flow as line \(earlier) (\(flow.canonical)), merged")
            } else {
                first[flow] = line
                flows.append(flow)
            }
        }
        return (flows, notices)
    }

    private static func readText(_ path: String) throws(FlowError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw FlowError(.missingFile, file: path, "no such flow file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FlowError(.io, file: path, "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FlowError(.badInput, file: path, "expected UTF-8 text")
        }
        return text
    }
}

extension FlowError {
    func `in`(file: String) -> FlowError {
        var copy = self
        copy.file = file
        return copy
    }
}
