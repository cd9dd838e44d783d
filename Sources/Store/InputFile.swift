import Foundation

/// Whole-file reads for importers; `.gz` files are decompressed by `/bin/gzip -dc` in a subprocess
/// (Foundation on Linux has no gzip, and a zlib target would be one more system dependency).
enum InputFile {
    static func bytes(_ path: String) throws(StoreError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StoreError(.missingFile, "\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw StoreError(.badInput, "\(path): expected a file, found a directory") }
        if path.hasSuffix(".gz") { return try gunzip(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError(.io, "\(path): cannot read the file")
        }
        return [UInt8](data)
    }

    /// The name without a trailing `.gz`.
    static func plainName(_ name: String) -> String { name.hasSuffix(".gz") ? String(name.dropLast(3)) : name }

    private static func gunzip(_ path: String) throws(StoreError) -> [UInt8] {
        let gzip = "/bin/gzip"
        guard FileManager.default.isExecutableFile(atPath: gzip) else {
            throw StoreError(.io, "\(path): cannot decompress: \(gzip) is missing")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gzip)
        process.arguments = ["-dc", "--", path]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw StoreError(.io, "\(path): cannot run \(gzip): \(error)")
        }
        // Drain standard error beside standard output so that neither pipe fills up and blocks gzip.
        let errorText = ErrorText()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            errorText.set(err.fileHandleForReading.readDataToEndOfFile())
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = errorText.text.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw StoreError(.badInput, "\(path): expected gzip data: \(message)")
        }
        return [UInt8](data)
    }

    private final class ErrorText: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ d: Data) { lock.withLock { data = d } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }
}
