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
