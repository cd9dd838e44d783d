import Foundation

/// File helpers shared by the dataset importers.
enum DatasetFiles {
    /// Every regular file under `directory`, recursively, hidden ones left out, sorted by path.
    static func files(under directory: String) throws(StoreError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw StoreError(.missingFile, "\(directory): no such directory")
        }
        guard isDirectory.boolValue else { throw StoreError(.badInput, "\(directory): expected a directory, found a file") }
        let root = URL(fileURLWithPath: directory)
        guard let walker = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { throw StoreError(.io, "\(directory): cannot list the directory") }
        var out: [String] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            // Paths as the user spelled the directory, not as the enumerator resolved it.
            let relative = url.path.hasPrefix(root.path + "/") ? String(url.path.dropFirst(root.path.count + 1)) : url.lastPathComponent
            out.append(directory.hasSuffix("/") ? directory + relative : directory + "/" + relative)
        }
        return out.sorted()
    }

    /// The lines of a text file: line i + 1 at index i; a final line break does not start a line;
    /// a CR before the LF is dropped.
    static func lines(_ bytes: [UInt8]) -> [String] {
        var out: [String] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") {
                let end = i > start && bytes[i - 1] == UInt8(ascii: "\r") ? i - 1 : i
                out.append(String(decoding: bytes[start..<end], as: UTF8.self))
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count {
            let end = bytes[bytes.count - 1] == UInt8(ascii: "\r") ? bytes.count - 1 : bytes.count
            out.append(String(decoding: bytes[start..<end], as: UTF8.self))
        }
        return out
    }

    static func directory(of path: String) -> String { (path as NSString).deletingLastPathComponent }
    static func name(of path: String) -> String { (path as NSString).lastPathComponent }
}
