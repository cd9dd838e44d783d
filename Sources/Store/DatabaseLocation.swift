import Foundation

/// Where the database is: `--db`, else `$QOR_DB`, else `qor.sqlite` in the user's data directory;
/// opened for writing, or for reading only (left untouched, also when the file is read-only).
public struct DatabaseLocation: Sendable {
    /// The path the user gave (nil or empty: the environment's or the default).
    public var path: String?

    public init(path: String?) { self.path = path }

    /// The file this location names.
    public var resolved: String { Store.resolvePath(path) }

    /// Whether the file exists (a command that only reads can then do without it).
    public var exists: Bool { FileManager.default.fileExists(atPath: resolved) }

    /// Opens the database. A path the user chose (`--db`, `$QOR_DB`) must be in an existing
    /// directory (66 otherwise): a typo must not leave a tree of new directories behind.
    public func open() throws -> Store {
        let explicit = path.flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.environment["QOR_DB"].flatMap { $0.isEmpty ? nil : $0 }
        if let explicit {
            let dir = (explicit as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            if !dir.isEmpty, !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) && isDirectory.boolValue) {
                throw StoreError(.missingFile, "\(explicit): no directory \(dir) for the database: expected an existing directory (create it first)")
            }
        }
        return try Store(path: resolved)
    }

    /// For commands that only read: an existing database, left untouched.
    public func openReadOnly() throws -> Store { try Store(path: resolved, access: .readOnly) }
}
