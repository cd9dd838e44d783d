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
        let dir = URL(fileURLWithPath: directory)
        let finals = names.map { dir.appendingPathComponent($0).path }
        for final in finals {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: final, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ReportError(.io, file: final, "expected a file name, found a directory")
            }
        }
        let temps = names.map { dir.appendingPathComponent(".\($0).tmp-\(getpid())").path }
        func removeTemps() { for t in temps { unlink(t) } }
        for (text, temp) in zip(texts, temps) {
            guard fm.createFile(atPath: temp, contents: Data(text.utf8)) else {
                removeTemps()
                throw ReportError(.io, file: temp, "cannot write the file")
            }
        }
        for (temp, final) in zip(temps, finals) where rename(temp, final) != 0 {
            let reason = String(cString: strerror(errno))
            removeTemps()
            throw ReportError(.io, file: final, "cannot rename the temporary file into place: \(reason)")
        }
        return finals
    }
}
