import Foundation
import GRDB

/// A problem with the database or with data on its way into it.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case badInput, missingFile, io, usage }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}

/// The SQLite database of designs, flows, libraries, labels, models, predictions and runs.
/// WAL mode (synchronous NORMAL), a busy timeout and foreign keys; every write is a transaction.
public struct Store: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating and migrating when needed) the database at `path`.
    public init(path: String) throws {
        self.path = path
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.foreignKeysEnabled = true
        // In WAL mode, NORMAL keeps every committed transaction through a crash of the process
        // (kill -9 included); only a power loss may undo the last ones. FULL would add an fsync
        // to each label's commit.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
        } catch {
            throw StoreError(.io, "\(path): cannot open the database: \(error)")
        }
    }

    /// The database path: the explicit one, else `$QOR_DB`, else `qor.sqlite` in the user's data
    /// directory (`$XDG_DATA_HOME/qor`, else `~/.local/share/qor`), never inside a checkout.
    public static func resolvePath(_ explicit: String?) -> String {
        let env = ProcessInfo.processInfo.environment
        if let explicit, !explicit.isEmpty { return explicit }
        if let db = env["QOR_DB"], !db.isEmpty { return db }
        let data = env["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (env["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return data + "/qor/qor.sqlite"
    }

    /// Row counts of every table.
    public func counts() throws -> [String: Int] {
        try pool.read { db in
            var out: [String: Int] = [:]
            for table in ["design", "flow", "library", "label", "model", "prediction", "run"] {
                out[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            out["label_ok"] = try Int.fetchOne(db, sql: "SELECT count(*) FROM label WHERE status = 'ok'") ?? 0
            return out
        }
    }
}
