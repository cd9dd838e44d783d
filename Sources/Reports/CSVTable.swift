import Common
import Foundation

/// A CSV file read by header name (RFC 4180, through ``CSVScanner``), blank lines skipped.
/// Every error names the file and line and what was expected.
struct CSVTable {
    let path: String
    private let columns: [String: Int]
    /// The data rows with their 1-based line numbers.
    let rows: [(line: Int, fields: [String])]

    /// Reads `path`; `required` columns must be in the header (any order, other columns ignored).
    init(path: String, required: [String]) throws(ReportError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw ReportError(.missingFile, file: path, "no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw ReportError(.io, file: path, "cannot read the file") }
        guard String(data: data, encoding: .utf8) != nil else { throw ReportError(file: path, "expected UTF-8 text") }
        var header: [String]?
        var headerLine = 0
        var rows: [(Int, [String])] = []
        var scanner = CSVScanner(Array(data))
        while let record = scanner.next() {
            if let error = record.error { throw ReportError(file: path, line: record.line, error) }
            if record.fields.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) { continue }
            if header == nil {
                header = record.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                headerLine = record.line
            } else {
                guard record.fields.count == header?.count else {
                    throw ReportError(file: path, line: record.line, "expected \(header?.count ?? 0) fields as in the header, found \(record.fields.count)")
                }
                rows.append((record.line, record.fields))
            }
        }
        guard let header else { throw ReportError(file: path, line: 1, "expected a header line naming the columns \(required.joined(separator: ","))") }
        var columns: [String: Int] = [:]
        for (i, name) in header.enumerated() where columns[name] == nil { columns[name] = i }
        let missing = required.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw ReportError(file: path, line: headerLine, "the header lacks the column(s) \(missing.joined(separator: ", ")); expected \(required.joined(separator: ","))")
        }
        self.columns = columns
        self.rows = rows
    }

    func has(_ column: String) -> Bool { columns[column] != nil }

    func string(_ row: (line: Int, fields: [String]), _ column: String) throws(ReportError) -> String {
        let value = row.fields[columns[column] ?? 0].trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw ReportError(file: path, line: row.line, "column \(column): expected a value, found nothing") }
        return value
    }

    func double(_ row: (line: Int, fields: [String]), _ column: String, positive: Bool = false) throws(ReportError) -> Double {
        let text = try string(row, column)
        guard let v = Double(text), v.isFinite, !positive || v > 0 else {
            throw ReportError(file: path, line: row.line, "column \(column): expected a \(positive ? "positive" : "finite") number, found '\(text)'")
        }
        return v
    }

    func count(_ row: (line: Int, fields: [String]), _ column: String) throws(ReportError) -> Int {
        let text = try string(row, column)
        guard let v = Int(text), v >= 0 else {
            throw ReportError(file: path, line: row.line, "column \(column): expected a whole number ≥ 0, found '\(text)'")
        }
        return v
    }
}
