import Common
import Flows
import Foundation
import GRDB
import GRDBSQLite

/// What ``Store/importLabels(_:progress:)`` did.
public struct LabelImportCounts: Sendable, Equatable {
    /// Labels inserted, or replacing a stored label that was not `ok`.
    public var written = 0
    /// Labels whose key already had an `ok` label, which was kept.
    public var unchanged = 0
    public var newFlows = 0
    public var newLibraries = 0
}

extension Store {
    /// Writes a checked batch in one transaction with prepared statements: libraries by name (an
    /// unknown name is recorded with kind `external` and the hash of the name), flows by canonical
    /// text, then labels with the rule of ``upsertLabelSQL`` (an `ok` label is never overwritten).
    /// `progress` is called with the number of labels written so far, every 10,000 labels.
    /// `builtIn` names the genlib libraries the caller has built in (their content hash): a label
    /// naming one is recorded for it, not for an external library of that name.
    public func importLabels(_ batch: LabelBatch, builtIn: [(name: String, hash: String)] = [], progress: ((Int) -> Void)? = nil) throws -> LabelImportCounts {
        var counts = LabelImportCounts()
        try write { db in
            // A page cache big enough for the table and its index while the transaction grows, so
            // that SQLite does not spill pages to the WAL and read them back; restored afterwards.
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -262144")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            var libraryIDs: [Int64] = []
            for name in batch.libraries {
                if let id = try Int64.fetchOne(
                    db, sql: "SELECT id FROM library WHERE name = ? ORDER BY id LIMIT 1", arguments: [name])
                {
                    libraryIDs.append(id)
                    continue
                }
                // The built-in library by its name is the built-in library (its content hash), so
                // that labels exported by `qor db export` and imported again are the ones `qor
                // label` finds, not a second library that would be labelled all over again.
                let (hash, kind) = builtIn.first(where: { $0.name == name }).map { ($0.hash, "genlib") }
                    ?? (StableHash.hex(StableHash.fnv1a64(name)), "external")
                try db.execute(
                    sql: "INSERT INTO library (hash, name, kind) VALUES (?, ?, ?) ON CONFLICT(hash) DO NOTHING",
                    arguments: [hash, name, kind])
                counts.newLibraries += db.changesCount
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM library WHERE hash = ?", arguments: [hash]) else {
                    throw StoreError(.io, "library '\(name)' vanished while importing")
                }
                libraryIDs.append(id)
            }

            let insertFlow = try db.makeStatement(
                sql: "INSERT INTO flow (text, hash, length) VALUES (?, ?, ?) ON CONFLICT(text) DO NOTHING")
            let selectFlow = try db.makeStatement(sql: "SELECT id FROM flow WHERE text = ?")
            var flowIDs = [Int64](repeating: -1, count: batch.flows.count)
            for i in batch.flowInsertionOrder() {
                let f = batch.flows[i]
                try insertFlow.execute(arguments: [f.canonical, f.hash, f.steps.count])
                if db.changesCount > 0 {
                    counts.newFlows += 1
                    flowIDs[i] = db.lastInsertedRowID
                } else if let id = try Int64.fetchOne(selectFlow, arguments: [f.canonical]) {
                    flowIDs[i] = id
                } else {
                    throw StoreError(.io, "flow '\(f.canonical)' vanished while importing")
                }
            }

            // One timestamp for the whole import, bound once, instead of strftime on every row.
            let now = try String.fetchOne(db, sql: "SELECT strftime('%Y-%m-%dT%H:%M:%fZ','now')") ?? ""
            let insertLabel = try db.makeStatement(sql: Self.upsertLabelSQL)
            let writer = RawInsert(statement: insertLabel.sqliteStatement, connection: db.sqliteConnection)
            writer.bind(11, nil as String?)  // no error
            writer.bind(12, now)
            for (n, r) in batch.rows.enumerated() {
                writer.bind(1, r.designID)
                writer.bind(2, flowIDs[Int(r.flow)])
                writer.bind(3, libraryIDs[Int(r.library)])
                writer.bind(4, r.status.rawValue)
                writer.bind(5, r.delay)
                writer.bind(6, r.area)
                writer.bind(7, r.ands.map(Int64.init))
                writer.bind(8, r.levels.map(Int64.init))
                writer.bind(9, r.seconds)
                writer.bind(10, r.abcVersion)
                if try writer.step() { counts.written += 1 } else { counts.unchanged += 1 }
                if let progress, (n + 1) % 10_000 == 0 { progress(n + 1) }
            }
            progress?(batch.rows.count)
        }
        return counts
    }
}

/// A prepared insert driven through the SQLite C API: binding plain values directly, without
/// GRDB's per-row argument arrays, is most of the difference at a million rows.
private struct RawInsert {
    let statement: OpaquePointer?
    let connection: OpaquePointer?
    /// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
    private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(statement: OpaquePointer?, connection: OpaquePointer?) {
        self.statement = statement
        self.connection = connection
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(statement, index, value) }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(statement, index)
            return
        }
        value.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) { text in
                sqlite3_bind_text(statement, index, text.baseAddress, Int32(text.count), transient)
            }
        }
    }

    /// Runs the statement once and readies it for the next row; true when it changed a row.
    func step() throws -> Bool {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
        return sqlite3_changes(connection) > 0
    }
}
