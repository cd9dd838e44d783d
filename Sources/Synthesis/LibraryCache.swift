import Common
import Flows
import Foundation

/// Library files that ABC must read from disk, kept in `$TMPDIR/qor-libs/` under names made from
/// their content hash, so that concurrent runs and processes share them safely.
enum LibraryCache {
    static var directory: String { FileManager.default.temporaryDirectory.appendingPathComponent("qor-libs").path }

    /// The path of a cache file holding `text`, written (atomically) if it is not there yet.
    static func file(named name: String, text: String) throws(SynthesisError) -> String {
        let path = directory + "/" + name
        if FileManager.default.fileExists(atPath: path) { return path }
        try store(Data(text.utf8), at: path)
        return path
    }

    /// Unpacks a gzipped file with `gzip -dc` into the cache; returns the path and the content.
    static func gunzip(_ source: String) throws(SynthesisError) -> (String, Data) {
        guard let gzip = Executable.find("gzip") else { throw .toolMissing("gzip") }
        let work = try TemporaryDirectory()
        let output = try Subprocess.run(gzip, ["-dc", source], in: work.path, timeout: 300)
        guard !output.timedOut, output.status == 0 else {
            // The file was read a moment ago: gzip failing means its content is not gzip data.
            throw .badLibrary(source, "expected gzip data: \(output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let data = output.stdoutData
        let base = URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        let path = directory + "/" + data.fnv1a64Hex + "-" + base
        if !FileManager.default.fileExists(atPath: path) { try store(data, at: path) }
        return (path, data)
    }

    private static func store(_ data: Data, at path: String) throws(SynthesisError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io("\(directory): \(error.localizedDescription)")
        }
        do { try AtomicFile.write([UInt8](data), to: path) } catch { throw .io(error.description) }
    }
}
