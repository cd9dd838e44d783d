import Common
import Foundation

/// Writes a report's four files into a directory, all or none.
public enum ReportFiles {
    public static let names = ["report.md", "report.html", "metrics.json", "predictions.csv"]

    /// Renders every file in memory, writes each to a temporary name in `directory` (created when
    /// missing) and renames them into place only when all are written. Returns the paths written.
    @discardableResult
    public static func write(_ e: Evaluation, to directory: String) throws(ReportError) -> [String] {
        let content = ReportContent(e)
        let texts = [
            MarkdownReport.render(content), HTMLReport.render(content, e), MetricsJSON.render(e),
            ReportCSV.renderPredictions(e),
        ]
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ReportError(.io, file: directory, "expected a directory, found a file") }
        } else {
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw ReportError(.io, file: directory, "cannot create the directory: \(error.localizedDescription)")
            }
        }
        let finals = names.map { URL(fileURLWithPath: directory).appendingPathComponent($0).path }
        do { try AtomicFile.write(zip(finals, texts).map { ($0, Array($1.utf8)) }) } catch {
            throw ReportError(.io, file: error.path, error.reason)
        }
        return finals
    }
}
