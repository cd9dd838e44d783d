import Flows
import Foundation

/// The LOSTIN dataset layout: `flow_<L>.csv` holds one flow a line (steps separated by `;`, with a
/// trailing `;`, in short names `b rw rwz rf rfz` or `resub`, `resub -z`); beside it,
/// `area_ground_truth_<design>_flow_<L>.csv` and `delay_ground_truth_<design>_flow_<L>.csv` hold one
/// number a line, line i belonging to flow i. A 0 marks a failed run: it is left out and counted.
/// Files are found anywhere under the directory; `.gz` versions are read too.
public enum LostinDataset {
    /// Reads and checks every ground-truth pair under `directory`. Designs must resolve among
    /// `designs`; every label gets the library `library`. Only the part `subset` names is read.
    public static func read(directory: String, designs: DesignNames, library: String, subset: DatasetSubset = .all) throws(StoreError) -> LabelImportPlan {
        var flowFiles: [String: String] = [:]  // "<dir>\n<L>" -> path
        var pairs: [PairKey: Pair] = [:]
        for path in try DatasetFiles.files(under: directory) {
            let name = InputFile.plainName(DatasetFiles.name(of: path))
            let dir = DatasetFiles.directory(of: path)
            if let length = match(name, prefix: "flow_") {
                flowFiles[dir + "\n" + length] = path
            } else if let (kind, design, length) = groundTruth(name) {
                let key = PairKey(directory: dir, design: design, length: length)
                if kind == "area" { pairs[key, default: Pair()].area = path } else { pairs[key, default: Pair()].delay = path }
            }
        }
        guard !pairs.isEmpty else {
            throw StoreError(
                .badInput,
                "\(directory): no LOSTIN ground truth found: expected area_ground_truth_<design>_flow_<L>.csv and "
                    + "delay_ground_truth_<design>_flow_<L>.csv beside flow_<L>.csv")
        }

        try subset.checkDesigns(found: pairs.keys.map(\.design), in: directory)
        pairs = pairs.filter { subset.takes(design: $0.key.design) }

        var plan = LabelImportPlan()
        let libraryIndex = plan.batch.index(ofLibrary: library)
        var flowLists: [String: [Int32?]] = [:]
        for key in pairs.keys.sorted() {
            let pair = pairs[key] ?? Pair()
            let anyFile = pair.area ?? pair.delay ?? key.design
            guard let areaPath = pair.area, let delayPath = pair.delay else {
                let missing = pair.area == nil ? "area" : "delay"
                plan.problems.append(ImportProblem(
                    file: anyFile, line: 0,
                    "no \(missing)_ground_truth_\(key.design)_flow_\(key.length).csv beside it: expected area and delay in pairs"))
                continue
            }
            let designID: Int64
            switch designs.id(key.design) {
            case .success(let id): designID = id
            case .failure(let reason):
                plan.problems.append(ImportProblem(file: areaPath, line: 0, reason.text + " (named by the file name)"))
                continue
            }
            let flowKey = key.directory + "\n" + key.length
            guard let flowPath = flowFiles[flowKey] else {
                plan.problems.append(ImportProblem(
                    file: areaPath, line: 0, "no flow_\(key.length).csv beside it: expected the flows its lines belong to"))
                continue
            }
            if flowLists[flowKey] == nil {
                flowLists[flowKey] = try readFlows(flowPath, into: &plan)
            }
            let flows = flowLists[flowKey] ?? []
            let flowName = DatasetFiles.name(of: flowPath)
            let area = try DatasetFiles.lines(InputFile.bytes(areaPath))
            let delay = try DatasetFiles.lines(InputFile.bytes(delayPath))
            plan.batch.reserve(plan.batch.rows.count + area.count)
            let fileIndex = plan.batch.index(ofFile: areaPath)
            for i in 0..<max(area.count, delay.count) where subset.takes(flowIndex: i) {
                var bad = false
                func check(_ lines: [String], _ path: String, _ other: [String], _ otherPath: String) -> Double? {
                    guard i < lines.count else { return nil }
                    if i >= other.count {
                        plan.problems.append(ImportProblem(
                            file: path, line: i + 1,
                            "no line \(i + 1) in \(DatasetFiles.name(of: otherPath)), which has \(other.count) lines"))
                        bad = true
                        return nil
                    }
                    if i >= flows.count {
                        plan.problems.append(ImportProblem(
                            file: path, line: i + 1,
                            "flow index \(i + 1) is past the end of \(flowName), which has \(flows.count) flows"))
                        bad = true
                        return nil
                    }
                    let text = lines[i].trimmingASCIISpaces()
                    guard !text.isEmpty else {
                        plan.problems.append(ImportProblem(file: path, line: i + 1, "expected a number, found an empty line"))
                        bad = true
                        return nil
                    }
                    do throws(ReasonText) {
                        // A literal 0 marks a failed run; anything else must be a label training can use.
                        let value = try Numbers.double(text, column: nil, required: true)
                        if value == 0, !Numbers.isZero(text) {
                            throw ReasonText("expected a number > 0 (or 0 for a failed run), found \(text), which rounds to 0")
                        }
                        return value
                    } catch {
                        plan.problems.append(ImportProblem(file: path, line: i + 1, error.text))
                        bad = true
                        return nil
                    }
                }
                let a = check(area, areaPath, delay, delayPath)
                let d = check(delay, delayPath, area, areaPath)
                guard !bad, let a, let d else { continue }
                guard let flow = flows[i] else {
                    plan.leftOut += 1
                    continue
                }
                if a == 0 || d == 0 {
                    plan.failedRuns += 1
                    continue
                }
                let row = LabelBatch.Row(designID: designID, flow: flow, library: libraryIndex, status: .ok, delay: d, area: a)
                if let conflict = plan.batch.add(row, file: fileIndex, line: i + 1) { plan.problems.append(conflict) }
            }
        }
        return plan
    }

    /// One flow a line; a bad line is a problem and nil in the list, so later lines keep their index.
    private static func readFlows(_ path: String, into plan: inout LabelImportPlan) throws(StoreError) -> [Int32?] {
        let lines = DatasetFiles.lines(try InputFile.bytes(path))
        var out: [Int32?] = []
        out.reserveCapacity(lines.count)
        var texts = FlowTexts()
        for (i, line) in lines.enumerated() {
            do {
                out.append(plan.batch.index(of: try texts.parse(line)))
            } catch {
                let reason = error.message.hasPrefix("expected at least one transformation")
                    ? "expected a flow, found an empty line" : error.positionAndMessage
                plan.problems.append(ImportProblem(file: path, line: i + 1, reason))
                out.append(nil)
            }
        }
        return out
    }

    /// `<prefix><digits>.csv` -> the digits.
    private static func match(_ name: String, prefix: String) -> String? {
        guard name.hasPrefix(prefix), name.hasSuffix(".csv") else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(4)
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber) ? String(digits) : nil
    }

    /// `area|delay_ground_truth_<design>_flow_<L>.csv` -> (kind, design, L).
    private static func groundTruth(_ name: String) -> (String, String, String)? {
        for kind in ["area", "delay"] {
            let prefix = kind + "_ground_truth_"
            guard name.hasPrefix(prefix), name.hasSuffix(".csv") else { continue }
            let rest = name.dropFirst(prefix.count).dropLast(4)
            guard let cut = rest.range(of: "_flow_", options: .backwards) else { continue }
            let design = rest[..<cut.lowerBound], length = rest[cut.upperBound...]
            guard !design.isEmpty, !length.isEmpty, length.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
            return (kind, String(design), String(length))
        }
        return nil
    }

    private struct PairKey: Hashable, Comparable {
        var directory: String
        var design: String
        var length: String
        static func < (a: PairKey, b: PairKey) -> Bool {
            (a.design, a.directory, Int(a.length) ?? 0) < (b.design, b.directory, Int(b.length) ?? 0)
        }
    }

    private struct Pair {
        var area: String?
        var delay: String?
    }
}
