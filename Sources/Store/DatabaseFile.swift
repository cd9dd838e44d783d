import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What qor checks before it writes to a database file, and how SQLite's errors reach the user:
/// another application's SQLite file, a database from a newer qor and a corrupt database are
/// refused (exit 65) before anything is written; a full disk or a failed write is an I/O error
/// (exit 74); every message names the file.
enum DatabaseFile {
    /// The first 16 bytes of every SQLite 3 database file.
    static let magic = Array("SQLite format 3\0".utf8)
    /// The tables the first migration creates: a file with `v1` applied but without them is not ours.
    static let qorTables: Set<String> = ["design", "flow", "library", "label", "model", "prediction", "run"]

    /// True when `path` is a file holding a database; false when there is no file, or an empty one
    /// (which SQLite treats as a new database). A file that does not start with SQLite's header is
    /// refused without opening it.
    static func exists(_ path: String) throws(StoreError) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return false }
            throw StoreError(.io, "\(path): cannot read the database: \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw StoreError(.io, "\(path): is a directory; expected a database file") }
        if info.st_size == 0 { return false }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError(.io, "\(path): cannot read the database: \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        guard header.starts(with: magic) else {
            throw StoreError(.badInput, "\(path): not a SQLite database (it does not start with the SQLite header); give --db a qor database or a new file")
        }
        guard header.count == 100 else {
            throw StoreError(.badInput, "\(path): the database is corrupt: the file ends inside its 100-byte header")
        }
        return true
    }

    /// Refuses a database that qor must not write to: one holding other tables than qor's, one
    /// migrated by a newer qor (migrations this one does not know) and, with `integrity`, a corrupt
    /// one (SQLite's `quick_check`). An empty database is fine: the migrator will create the schema.
    static func inspect(_ db: Database, path: String, migrator: DatabaseMigrator, integrity: Bool) throws {
        if integrity { try check(db, path: path) }
        let tables = try names(db, path: path, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        let applied = tables.contains("grdb_migrations") ? Set(try names(db, path: path, sql: "SELECT identifier FROM grdb_migrations")) : []
        // Nothing yet, or a qor that is creating the schema right now (it records migrations one by one).
        if applied.isEmpty, tables.allSatisfy({ $0 == "grdb_migrations" }) { return }
        guard applied.contains("v1"), qorTables.isSubset(of: tables) else {
            let shown = tables.prefix(8).joined(separator: ", ") + (tables.count > 8 ? ", ..." : "")
            throw StoreError(
                .badInput,
                "\(path): not a qor database (it holds the tables \(shown)); give --db a qor database or a new file")
        }
        let unknown = applied.subtracting(migrator.migrations).sorted()
        guard unknown.isEmpty else {
            throw StoreError(
                .badInput,
                "\(path): the database was made by a newer qor (its schema has the migrations \(unknown.joined(separator: ", ")), "
                    + "which this qor does not know); use that qor, or give another --db")
        }
    }

    /// SQLite's `quick_check` of every page: O(size of the file), about 0.1 s per 100,000 labels.
    static func check(_ db: Database, path: String) throws {
        let report = try String.fetchAll(db, sql: "PRAGMA quick_check(3)")
        guard report == ["ok"] else {
            let text = report.joined(separator: "; ").replacingOccurrences(of: "\n", with: "; ")
            throw StoreError(.badInput, "\(path): the database is corrupt: \(text)")
        }
    }

    /// One text column; a value of another type (a NULL where SQLite's own tables never hold one)
    /// means the file is damaged.
    private static func names(_ db: Database, path: String, sql: String) throws -> [String] {
        try DatabaseValue.fetchAll(db, sql: sql).map { value in
            guard let name = String.fromDatabaseValue(value) else {
                throw StoreError(.badInput, "\(path): the database is corrupt: '\(sql)' gave \(value)")
            }
            return name
        }
    }

    /// SQLite's errors as ``StoreError`` naming the file: corruption is bad data (65), a full disk,
    /// a failed read or write, a read-only file or a lock held too long are I/O errors (74). Other
    /// errors (a violated constraint: a bug) pass unchanged.
    static func translate(_ error: Error, path: String) -> Error {
        if let e = error as? RowDecodingError {
            return StoreError(.badInput, "\(path): the database is corrupt: it holds a value of an unexpected type (\(e))")
        }
        guard let e = error as? DatabaseError else { return error }
        let detail = e.message ?? "\(e.resultCode)"
        switch e.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreError(.badInput, "\(path): the database is corrupt (\(detail))")
        case .SQLITE_FULL:
            return StoreError(.io, "\(path): cannot write the database: the disk is full (\(detail)); its last transaction was not written")
        case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_PROTOCOL:
            return StoreError(.io, "\(path): cannot read or write the database (\(detail))")
        case .SQLITE_READONLY:
            return StoreError(.io, "\(path): the database cannot be written (\(detail))")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(.io, "\(path): the database stayed locked by another process (\(detail))")
        default:
            return error
        }
    }
}

/// A read-only view of a database file that leaves no trace: no change counter, no `-wal` or
/// `-shm` file, so that it works on a read-only file in a read-only directory.
///
/// SQLite creates `-wal` and `-shm` files even for a read-only connection to a WAL database. When
/// no `-wal` file exists, no process has the database open and every committed transaction is in
/// the main file, so it is read as immutable (no locks, no WAL). A writer that starts meanwhile
/// and checkpoints into the main file would change it under the reader: each read compares the
/// file's identity, size and modification time before and after, and reads again through an
/// ordinary read-only connection when they differ. With a `-wal` file present (a writer at work,
/// or one killed before its checkpoint) the ordinary read-only connection is used from the start.
final class ReadOnlyDatabase: Sendable {
    let path: String
    /// The first connection: immutable when no `-wal` file existed at open.
    let queue: DatabaseQueue
    private let immutable: Bool
    private let fallback = Fallback()

    /// Opens `path`, which must exist.
    init(path: String) throws {
        self.path = path
        guard try DatabaseFile.exists(path) else {
            var info = stat()
            if stat(path, &info) == 0 {
                throw StoreError(.badInput, "\(path): an empty file, not a database; qor creates a database on the first import or label")
            }
            throw StoreError(.missingFile, "\(path): no such database; qor creates one on the first import or label")
        }
        var immutableQueue: DatabaseQueue?
        if !FileManager.default.fileExists(atPath: path + "-wal") {
            do {
                immutableQueue = try Self.open(Self.immutableURI(path))
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN {
                // URI filenames not understood: the ordinary connection below.
            } catch {
                // Opening reads the schema: a corrupt file is refused here, before any connection
                // that would leave -wal and -shm files beside it.
                throw DatabaseFile.translate(error, path: path)
            }
        }
        if let immutableQueue {
            queue = immutableQueue
            immutable = true
        } else {
            do { queue = try Self.open(path) } catch { throw DatabaseFile.translate(error, path: path) }
            immutable = false
        }
    }

    /// Runs `body` in a read transaction; SQLite's errors are translated (``DatabaseFile/translate(_:path:)``).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        guard immutable else { return try translating { try queue.read(body) } }
        let before = FileStamp(path)
        do {
            let value = try queue.read(body)
            if FileStamp(path) == before { return value }
        } catch {
            if FileStamp(path) == before { throw DatabaseFile.translate(error, path: path) }
        }
        // The file changed while it was read without locks: read again with them.
        return try translating { try fallback.queue(path).read(body) }
    }

    private func translating<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw DatabaseFile.translate(error, path: path) }
    }

    static func open(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(30)
        config.foreignKeysEnabled = true
        return try DatabaseQueue(path: path, configuration: config)
    }

    /// `file:PATH?mode=ro&immutable=1` (SQLite's URI filenames; Debian's SQLite accepts them in
    /// any open call). Where URIs are not understood the open fails and the ordinary one is used.
    static func immutableURI(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var escaped = ""
        for byte in absolute.utf8 {
            if byte < 0x80, byte != UInt8(ascii: "%"), byte != UInt8(ascii: "?"), byte != UInt8(ascii: "#") {
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                escaped += String(format: "%%%02X", byte)
            }
        }
        return "file:" + escaped + "?mode=ro&immutable=1"
    }

    /// The ordinary read-only connection, opened on first need.
    private final class Fallback: @unchecked Sendable {
        private let lock = NSLock()
        private var opened: DatabaseQueue?

        func queue(_ path: String) throws -> DatabaseQueue {
            lock.lock()
            defer { lock.unlock() }
            if let opened { return opened }
            let queue = try ReadOnlyDatabase.open(path)
            opened = queue
            return queue
        }
    }
}

/// A file's identity, size and modification time: equal stamps mean the file was not written between them.
struct FileStamp: Equatable {
    var device: UInt64 = 0, inode: UInt64 = 0, size: Int64 = -1, seconds: Int = 0, nanoseconds: Int = 0

    init(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
