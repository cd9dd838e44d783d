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
    /// Read-write creates and migrates the database; read-only opens an existing one and leaves
    /// no trace on it (``ReadOnlyDatabase``), for the commands that only read.
    public enum Access: Sendable { case readWrite, readOnly }

    public let path: String
    public let access: Access
    let pool: any DatabaseWriter
    private let reader: ReadOnlyDatabase?

    /// Opens the database at `path`. Read-write creates and migrates it when needed, after
    /// refusing a file qor must not write to (``DatabaseFile/inspect(_:path:migrator:integrity:)``);
    /// read-only requires an existing qor database.
    public init(path: String, access: Access = .readWrite) throws {
        self.path = path
        self.access = access
        if access == .readOnly {
            let reader = try ReadOnlyDatabase(path: path)
            try reader.read { db in try DatabaseFile.inspect(db, path: path, migrator: Schema.migrator, integrity: false) }
            self.reader = reader
            pool = reader.queue
            return
        }
        reader = nil
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        if try DatabaseFile.exists(path) {
            // Checked through a connection that cannot write, before the pool switches on WAL mode
            // or the migrator creates its table.
            try ReadOnlyDatabase(path: path).read { db in
                try DatabaseFile.inspect(db, path: path, migrator: Schema.migrator, integrity: true)
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.foreignKeysEnabled = true
        // In WAL mode, NORMAL keeps every committed transaction through a crash of the process
        // (kill -9 included); only a power loss may undo the last ones. FULL would add an fsync
        // to each label's commit.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        pool = try Self.openPool(path, config)
    }

    /// Opens and migrates the database. Processes that create one new file at once race, and
    /// SQLite does not wait where waiting could deadlock: the loser's switch to WAL mode leaves the
    /// journal mode as it was (GRDB: "could not activate WAL Mode"), its shared-memory handshake
    /// fails (SQLITE_PROTOCOL), or its migration, begun on a snapshot another process has since
    /// written past, is refused at once (SQLITE_BUSY well before the busy timeout; seen on a loaded
    /// machine). Such a race is over in milliseconds: opening is tried again.
    private static func openPool(_ path: String, _ config: Configuration) throws -> DatabasePool {
        var attempt = 0
        while true {
            let start = Date()
            do {
                let pool = try DatabasePool(path: path, configuration: config)
                try migrate(pool)
                return pool
            } catch {
                attempt += 1
                let e = error as? DatabaseError
                let refusedAtOnce = e?.resultCode == .SQLITE_BUSY && Date().timeIntervalSince(start) < 5
                let race = refusedAtOnce || e?.resultCode == .SQLITE_PROTOCOL || (e?.message ?? "").contains("could not activate WAL")
                if race, attempt < 20 {
                    usleep(useconds_t(min(attempt, 10) * 50_000))
                    continue
                }
                let translated = DatabaseFile.translate(error, path: path)
                if translated is StoreError { throw translated }
                throw StoreError(.io, "\(path): cannot open the database: \(error)")
            }
        }
    }

    /// Applies the migrations. GRDB reads which are applied before each migration's transaction, so
    /// two processes opening a new file at once can both start the same migration; the loser's
    /// fails ("table already exists") and it tries again, finding it applied.
    private static func migrate(_ pool: DatabasePool) throws {
        var attempts = 0
        while true {
            do {
                try Schema.migrator.migrate(pool)
                return
            } catch {
                attempts += 1
                let done = (try? pool.read { try Schema.migrator.hasCompletedMigrations($0) }) ?? false
                if done { return }
                if attempts >= 5 { throw error }
            }
        }
    }

    /// Runs `body` in a read transaction; SQLite's errors become ``StoreError``s naming the file.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        if let reader { return try reader.read(body) }
        do { return try pool.read(body) } catch { throw DatabaseFile.translate(error, path: path) }
    }

    /// Runs `body` in a write transaction; SQLite's errors become ``StoreError``s naming the file.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard access == .readWrite else { throw StoreError(.usage, "\(path): opened read-only; this command must not write") }
        do { return try pool.write(body) } catch { throw DatabaseFile.translate(error, path: path) }
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

    /// Throws when the file is corrupt anywhere (a read-write open checks this before writing; a
    /// read-only one finds only the damage in what it reads).
    public func checkIntegrity() throws {
        try read { db in try DatabaseFile.check(db, path: path) }
    }

    /// Row counts of every table.
    public func counts() throws -> [String: Int] {
        try read { db in
            var out: [String: Int] = [:]
            for table in ["design", "flow", "library", "label", "model", "prediction", "run"] {
                out[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            out["label_ok"] = try Int.fetchOne(db, sql: "SELECT count(*) FROM label WHERE status = 'ok'") ?? 0
            return out
        }
    }
}
