import Common
import Flows

/// Labels as CSV, the format `qor db export --csv` writes: a header naming the columns, then one
/// label a row. `design`, `flow`, `delay` and `area` are required; `library`, `status`, `ands`,
/// `levels`, `seconds` and `abc_version` are optional, in any order.
public enum LabelCSV {
    public static let requiredColumns = ["design", "flow", "delay", "area"]
    public static let optionalColumns = ["library", "status", "ands", "levels", "seconds", "abc_version"]

    /// Reads and checks a CSV file (`.csv.gz` is decompressed): every row is validated, bad ones
    /// become problems. Designs must resolve among `designs`; rows without a library get `library`.
    /// A header that lacks a required column, or names one twice or one unknown, is an error.
    /// `progress` is called every 10,000 rows with (rows read, lines in the file).
    public static func read(
        path: String, designs: DesignNames, library: String, progress: ((Int, Int) -> Void)? = nil
    ) throws(StoreError) -> LabelImportPlan {
        try parse(InputFile.bytes(path), file: path, designs: designs, library: library, progress: progress)
    }

    static func parse(
        _ bytes: [UInt8], file: String, designs: DesignNames, library: String, progress: ((Int, Int) -> Void)? = nil
    ) throws(StoreError) -> LabelImportPlan {
        var scanner = CSVScanner(bytes)
        guard let header = scanner.next() else { throw StoreError(.badInput, "\(file): empty file: expected a header line") }
        if let error = header.error { throw StoreError(.badInput, "\(file):\(header.line): \(error)") }
        let columns = try Columns(header.fields, file: file, line: header.line)

        var plan = LabelImportPlan()
        let lines = bytes.withUnsafeBufferPointer { $0.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } }
        plan.batch.reserve(lines)
        var parser = RowParser(columns: columns, designs: designs, library: library)
        let fileIndex = plan.batch.index(ofFile: file)
        var record = CSVScanner.Record(line: 0, fields: [])
        var count = 0
        while scanner.next(into: &record) {
            count += 1
            if let progress, count % 10_000 == 0 { progress(count, lines) }
            if let error = record.error {
                plan.problems.append(ImportProblem(file: file, line: record.line, error))
                continue
            }
            do {
                let row = try parser.row(record.fields, batch: &plan.batch)
                if let conflict = plan.batch.add(row, file: fileIndex, line: record.line) { plan.problems.append(conflict) }
            } catch {
                plan.problems.append(ImportProblem(file: file, line: record.line, error.text))
            }
        }
        return plan
    }

    /// Where each known column sits in a row.
    struct Columns {
        var count: Int
        var design = 0, flow = 0, delay = 0, area = 0
        var library: Int?, status: Int?, ands: Int?, levels: Int?, seconds: Int?, abcVersion: Int?

        init(_ names: [String], file: String, line: Int) throws(StoreError) {
            count = names.count
            var seen: [String: Int] = [:]
            for (i, raw) in names.enumerated() {
                let name = raw.trimmingASCIISpaces().lowercased()
                guard LabelCSV.requiredColumns.contains(name) || LabelCSV.optionalColumns.contains(name) else {
                    throw StoreError(
                        .badInput,
                        "\(file):\(line): unknown column '\(excerpt(raw))'; expected \((LabelCSV.requiredColumns + LabelCSV.optionalColumns).joined(separator: ", "))")
                }
                if seen[name] != nil { throw StoreError(.badInput, "\(file):\(line): column '\(name)' appears twice") }
                seen[name] = i
            }
            let missing = LabelCSV.requiredColumns.filter { seen[$0] == nil }
            guard missing.isEmpty else {
                throw StoreError(
                    .badInput,
                    "\(file):\(line): the header lacks \(missing.joined(separator: ", ")); expected at least \(LabelCSV.requiredColumns.joined(separator: ", "))")
            }
            design = seen["design"] ?? 0
            flow = seen["flow"] ?? 0
            delay = seen["delay"] ?? 0
            area = seen["area"] ?? 0
            library = seen["library"]
            status = seen["status"]
            ands = seen["ands"]
            levels = seen["levels"]
            seconds = seen["seconds"]
            abcVersion = seen["abc_version"]
        }
    }

    /// Turns the fields of one row into a batch row, caching what repeats (flows, names).
    struct RowParser {
        let columns: Columns
        let designs: DesignNames
        let library: String
        private var flowCache: [String: Result<Int32, ReasonText>] = [:]
        private var flowTexts = FlowTexts()
        private var designCache: [String: Result<Int64, ReasonText>] = [:]
        private var libraryCache: [String: Int32] = [:]
        private var versions: [String: String] = [:]

        init(columns: Columns, designs: DesignNames, library: String) {
            self.columns = columns
            self.designs = designs
            self.library = library
        }

        mutating func row(_ fields: [String], batch: inout LabelBatch) throws(ReasonText) -> LabelBatch.Row {
            guard fields.count == columns.count else {
                throw ReasonText("wrong column count: expected \(columns.count) fields as in the header, found \(fields.count)")
            }
            let designName = fields[columns.design].trimmingASCIISpaces()
            guard !designName.isEmpty else { throw ReasonText("empty design name") }
            let designID = try design(designName)
            let flow = try flow(fields[columns.flow], batch: &batch)
            var libraryName = columns.library.map { fields[$0].trimmingASCIISpaces() } ?? ""
            if libraryName.isEmpty { libraryName = library }
            let libraryIndex: Int32
            if let cached = libraryCache[libraryName] {
                libraryIndex = cached
            } else {
                libraryIndex = batch.index(ofLibrary: libraryName)
                libraryCache[libraryName] = libraryIndex
            }
            var status = LabelStatus.ok
            if let c = columns.status {
                let text = fields[c].trimmingASCIISpaces()
                if !text.isEmpty {
                    guard let s = LabelStatus(rawValue: text) else {
                        throw ReasonText("status: expected ok, failed or timeout, found '\(excerpt(text))'")
                    }
                    status = s
                }
            }
            // An ok label is what training learns from: finite and > 0. A failed run may leave them empty.
            let delay: Double?, area: Double?
            if status == .ok {
                delay = try Numbers.label(fields[columns.delay], column: "delay")
                area = try Numbers.label(fields[columns.area], column: "area")
            } else {
                delay = try Numbers.double(fields[columns.delay], column: "delay", required: false)
                area = try Numbers.double(fields[columns.area], column: "area", required: false)
            }
            let ands = try columns.ands.flatMap { c throws(ReasonText) in try Numbers.int(fields[c], column: "ands") }
            let levels = try columns.levels.flatMap { c throws(ReasonText) in try Numbers.int(fields[c], column: "levels") }
            let seconds = try columns.seconds.flatMap { c throws(ReasonText) in
                try Numbers.double(fields[c], column: "seconds", required: false)
            }
            var version: String?
            if let c = columns.abcVersion, !fields[c].isEmpty {
                let text = fields[c]
                if let interned = versions[text] {
                    version = interned
                } else {
                    versions[text] = text
                    version = text
                }
            }
            return LabelBatch.Row(
                designID: designID, flow: flow, library: libraryIndex, status: status, delay: delay, area: area,
                ands: ands, levels: levels, seconds: seconds, abcVersion: version)
        }

        private mutating func design(_ name: String) throws(ReasonText) -> Int64 {
            let result: Result<Int64, ReasonText>
            if let cached = designCache[name] {
                result = cached
            } else {
                result = designs.id(name)
                designCache[name] = result
            }
            return try result.get()
        }

        private mutating func flow(_ text: String, batch: inout LabelBatch) throws(ReasonText) -> Int32 {
            if let cached = flowCache[text] { return try cached.get() }
            let result: Result<Int32, ReasonText>
            do {
                result = .success(batch.index(of: try flowTexts.parse(text)))
            } catch {
                result = .failure(ReasonText("flow '\(excerpt(text))': \(error.positionAndMessage)"))
            }
            flowCache[text] = result
            return try result.get()
        }
    }
}

/// Number fields: non-negative, finite, surrounding spaces allowed; `column` names the field in messages.
enum Numbers {
    /// nil for an empty field that is not required.
    static func double(_ field: String, column: String?, required: Bool) throws(ReasonText) -> Double? {
        let place = column.map { "\($0): " } ?? ""
        let text = field.trimmingASCIISpaces()
        if text.isEmpty {
            if required { throw ReasonText("\(place)expected a number, found an empty field") }
            return nil
        }
        guard let value = Double(text), value.isFinite else {
            throw ReasonText("\(place)expected a number, found '\(excerpt(text))'")
        }
        guard value >= 0 else { throw ReasonText("\(place)expected a number >= 0, found \(excerpt(text))") }
        return value
    }

    /// A delay or an area that training can use: finite and > 0. A number too small for a Double
    /// (`1e-400`) reads as 0 and is refused as such.
    static func label(_ field: String, column: String?) throws(ReasonText) -> Double {
        let place = column.map { "\($0): " } ?? ""
        let text = field.trimmingASCIISpaces()
        if text.isEmpty { throw ReasonText("\(place)expected a number, found an empty field") }
        guard let value = Double(text), value.isFinite else { throw ReasonText("\(place)expected a number, found '\(excerpt(text))'") }
        guard value > 0 else {
            let rounded = value == 0 && !isZero(text) ? ", which rounds to 0" : ""
            throw ReasonText("\(place)expected a number > 0, found \(excerpt(text))\(rounded)")
        }
        return value
    }

    /// True for a literal zero (`0`, `0.0`, `-0e5`): no digit other than 0 before an exponent.
    static func isZero(_ text: String) -> Bool {
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        return !mantissa.contains { $0.isASCII && $0.isNumber && $0 != "0" }
    }

    static func int(_ field: String, column: String) throws(ReasonText) -> Int? {
        let text = field.trimmingASCIISpaces()
        if text.isEmpty { return nil }
        guard let value = Int(text), value >= 0 else {
            throw ReasonText("\(column): expected an integer >= 0, found '\(excerpt(text))'")
        }
        return value
    }
}

extension FlowError {
    /// `column C: step S: message`, without the file and line (which the importer supplies).
    var positionAndMessage: String {
        var parts: [String] = []
        if column > 0 { parts.append("column \(column)") }
        if step > 0 { parts.append("step \(step)") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        guard let first = utf8.first, let last = utf8.last, first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 else {
            return self
        }
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
