import Common
import Flows

/// The OpenABC-D layout: recipe scripts `abc<sid>.script` (ABC commands one per line; the
/// transformations sit between the first `write_bench` and the next — when a script writes a
/// bench after every step, between the first and the last, the intermediate `write_bench` lines
/// skipped) and `adp_<design>.csv` with the header `sid,area,delay`. Files are found anywhere
/// under the directory; `.gz` versions are read too.
public enum OpenABCDDataset {
    /// Reads and checks every `adp_<design>.csv` under `directory` against the recipes found there.
    /// Designs must resolve among `designs` (`ac97_ctrl` matches a design named `ac97_ctrl_orig`);
    /// every label gets the library `library`.
    public static func read(directory: String, designs: DesignNames, library: String, subset: DatasetSubset = .all) throws(StoreError) -> LabelImportPlan {
        var scripts: [Int: [String]] = [:]
        var tables: [(design: String, path: String)] = []
        for path in try DatasetFiles.files(under: directory) {
            let name = InputFile.plainName(DatasetFiles.name(of: path))
            if name.hasPrefix("abc"), name.hasSuffix(".script"), let sid = Int(name.dropFirst(3).dropLast(7)), sid >= 0 {
                scripts[sid, default: []].append(path)
            } else if name.hasPrefix("adp_"), name.hasSuffix(".csv"), name.count > 8 {
                tables.append((String(name.dropFirst(4).dropLast(4)), path))
            }
        }
        guard !tables.isEmpty else {
            throw StoreError(.badInput, "\(directory): no OpenABC-D labels found: expected adp_<design>.csv files")
        }

        try subset.checkDesigns(found: tables.map(\.design), in: directory)
        tables = tables.filter { subset.takes(design: $0.design) }

        var plan = LabelImportPlan()
        let libraryIndex = plan.batch.index(ofLibrary: library)
        var recipes: [Int: Int32?] = [:]
        for sid in scripts.keys.sorted() {
            var chosen: (flow: Flow, path: String)?
            var bad = false
            for path in scripts[sid] ?? [] {
                guard let flow = try recipe(path, into: &plan) else {
                    bad = true
                    continue
                }
                if let chosen, chosen.flow != flow {
                    plan.problems.append(ImportProblem(
                        file: path, line: 0,
                        "recipe \(sid) differs from \(chosen.path): '\(flow.canonical)' against '\(chosen.flow.canonical)'"))
                    bad = true
                } else if chosen == nil {
                    chosen = (flow, path)
                }
            }
            let index: Int32? = bad ? nil : chosen.map { plan.batch.index(of: $0.flow) }
            recipes[sid] = .some(index)
        }
        let largest = scripts.keys.max()

        var seenDesigns: [String: String] = [:]
        for (design, path) in tables.sorted(by: { $0.design < $1.design }) {
            if let first = seenDesigns[design] {
                plan.problems.append(ImportProblem(file: path, line: 0, "labels of '\(design)' appear twice; first in \(first)"))
                continue
            }
            seenDesigns[design] = path
            let designID: Int64
            switch designs.id(design) {
            case .success(let id): designID = id
            case .failure(let reason):
                plan.problems.append(ImportProblem(file: path, line: 0, reason.text + " (named by the file name)"))
                continue
            }
            let fileIndex = plan.batch.index(ofFile: path)
            var scanner = CSVScanner(try InputFile.bytes(path))
            guard let header = scanner.next() else {
                plan.problems.append(ImportProblem(file: path, line: 0, "empty file: expected the header sid,area,delay"))
                continue
            }
            let names = header.fields.map { $0.trimmingASCIISpaces().lowercased() }
            guard header.error == nil, names.count == 3, let sidColumn = names.firstIndex(of: "sid"),
                let areaColumn = names.firstIndex(of: "area"), let delayColumn = names.firstIndex(of: "delay")
            else {
                plan.problems.append(ImportProblem(
                    file: path, line: header.line,
                    "expected the header sid,area,delay, found '\(excerpt(header.fields.joined(separator: ",")))'"))
                continue
            }
            while let record = scanner.next() {
                if let error = record.error {
                    plan.problems.append(ImportProblem(file: path, line: record.line, error))
                    continue
                }
                do throws(ReasonText) {
                    guard record.fields.count == 3 else {
                        throw ReasonText("wrong column count: expected 3 fields (sid,area,delay), found \(record.fields.count)")
                    }
                    let sidText = record.fields[sidColumn].trimmingASCIISpaces()
                    guard let sid = Int(sidText), sid >= 0 else {
                        throw ReasonText("sid: expected an integer >= 0, found '\(excerpt(sidText))'")
                    }
                    guard subset.takes(flowIndex: sid) else { continue }
                    let area = try Numbers.label(record.fields[areaColumn], column: "area")
                    let delay = try Numbers.label(record.fields[delayColumn], column: "delay")
                    guard let recipe = recipes[sid] else {
                        let known = largest.map { "recipes found: \(scripts.count), largest sid \($0)" } ?? "no recipes found"
                        throw ReasonText("flow index \(sid) is past the end: no abc\(sid).script under \(directory) (\(known))")
                    }
                    guard let flow = recipe else {
                        plan.leftOut += 1
                        continue
                    }
                    let row = LabelBatch.Row(
                        designID: designID, flow: flow, library: libraryIndex, status: .ok, delay: delay, area: area)
                    if let conflict = plan.batch.add(row, file: fileIndex, line: record.line) {
                        plan.problems.append(conflict)
                    }
                } catch {
                    plan.problems.append(ImportProblem(file: path, line: record.line, error.text))
                }
            }
        }
        return plan
    }

    /// The transformations of one recipe script, or nil after recording why it is bad.
    static func recipe(_ path: String, into plan: inout LabelImportPlan) throws(StoreError) -> Flow? {
        let lines = DatasetFiles.lines(try InputFile.bytes(path))
        var marks: [Int] = []
        for (i, line) in lines.enumerated() where command(of: line) == "write_bench" { marks.append(i) }
        guard marks.count >= 2, let first = marks.first, let last = marks.last else {
            plan.problems.append(ImportProblem(
                file: path, line: 0,
                "expected the transformations between two write_bench lines, found \(marks.count) write_bench"))
            return nil
        }
        var steps: [Transformation] = []
        var bad = false
        for i in (first + 1)..<last where command(of: lines[i]) != "write_bench" {
            let line = lines[i]
            guard command(of: line) != nil else { continue }
            do {
                steps += try Flow.parse(line).steps
            } catch {
                plan.problems.append(ImportProblem(file: path, line: i + 1, error.positionAndMessage))
                bad = true
            }
        }
        if bad { return nil }
        guard !steps.isEmpty else {
            plan.problems.append(ImportProblem(
                file: path, line: first + 1, "expected transformations after this write_bench, found none before line \(last + 1)"))
            return nil
        }
        return Flow(steps)
    }

    /// The first word of a line, comments (`#`) aside; nil for a blank line.
    private static func command(of line: String) -> String? {
        let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return code.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }).first.map(String.init)
    }
}
