import ArgumentParser
import Foundation
import Store

/// `--db PATH`, shared by every command that uses the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "SQLite database (default: $QOR_DB, else $XDG_DATA_HOME/qor/qor.sqlite, else ~/.local/share/qor/qor.sqlite).")
    var path: String?

    /// Opens the database. A path the user chose (`--db`, `$QOR_DB`) must be in an existing
    /// directory (66 otherwise): a typo must not leave a tree of new directories behind.
    func open() throws -> Store {
        let explicit = path.flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.environment["QOR_DB"].flatMap { $0.isEmpty ? nil : $0 }
        if let explicit {
            let dir = (explicit as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            if !dir.isEmpty, !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) && isDirectory.boolValue) {
                throw StoreError(.missingFile, "\(explicit): no directory \(dir) for the database: expected an existing directory (create it first)")
            }
        }
        return try Store(path: Store.resolvePath(path))
    }

    /// For commands that only read: an existing database, left untouched (works on a read-only file).
    func openReadOnly() throws -> Store { try Store(path: Store.resolvePath(path), access: .readOnly) }
}
