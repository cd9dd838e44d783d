import Foundation

/// Finds design files: each path is a file, or a directory searched recursively for the
/// supported extensions. Sorted, without duplicates.
public enum DesignFiles {
    public static let extensions: Set<String> = ["aig", "aag", "bench", "blif", "v"]

    public static func collect(_ paths: [String]) throws(NetlistError) -> [String] {
        var found = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw NetlistError(.missingFile, file: path, "no such file or directory")
            }
            guard isDirectory.boolValue else {
                found.insert(path)
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: path)
            while let relative = enumerator?.nextObject() as? String {
                if extensions.contains((relative as NSString).pathExtension.lowercased()) {
                    found.insert((path as NSString).appendingPathComponent(relative))
                }
            }
        }
        return found.sorted()
    }

    /// The name a design is known by: the file's base name without extension.
    public static func name(of path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
