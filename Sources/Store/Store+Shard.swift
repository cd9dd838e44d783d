import Foundation
import GRDB

/// How far a shard database has come: its labels by status.
public struct ShardProgress: Sendable, Equatable {
    public var ok = 0
    public var failed = 0
    public var timedOut = 0
    public init() {}
    public var labels: Int { ok + failed + timedOut }
}

extension Store {
    /// Writes a new database at `path` (which must not exist) holding the given designs, with their
    /// AIGER, the flows and the library: everything an array task needs to label its keys without
    /// reading this database, which may be on a file system where SQLite must not be shared.
    public func writeShard(to path: String, designIDs: [Int64], flows: [NewFlow], libraryID: Int64) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw StoreError(.io, "\(path): already exists") }
        let (designs, library): ([Row], Row?) = try pool.read { db in
            let ids = designIDs.map(String.init).joined(separator: ",")
            let designs = try Row.fetchAll(
                db,
                sql: """
                    SELECT hash, name, format, source, inputs, outputs, latches, ands, levels, aiger, created_at
                    FROM design WHERE id IN (\(ids)) ORDER BY id
                    """)
            let library = try Row.fetchOne(db, sql: "SELECT hash, name, kind FROM library WHERE id = ?", arguments: [libraryID])
            return (designs, library)
        }
        guard let library else { throw StoreError(.badInput, "no library with id \(libraryID) in \(self.path)") }
        guard designs.count == Set(designIDs).count else { throw StoreError(.badInput, "a design to shard is missing from \(self.path)") }
        do {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try Schema.migrator.migrate(queue)
            try queue.write { db in
                for d in designs {
                    try db.execute(
                        sql: """
                            INSERT INTO design (hash, name, format, source, inputs, outputs, latches, ands, levels, aiger, created_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """, arguments: StatementArguments((0..<11).map { d[$0] as DatabaseValue }))
                }
                for f in flows {
                    try db.execute(
                        sql: "INSERT INTO flow (text, hash, length) VALUES (?, ?, ?) ON CONFLICT(text) DO NOTHING",
                        arguments: [f.text, f.hash, f.length])
                }
                try db.execute(
                    sql: "INSERT INTO library (hash, name, kind) VALUES (?, ?, ?)",
                    arguments: [library[0] as DatabaseValue, library[1] as DatabaseValue, library[2] as DatabaseValue])
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.io, "\(path): cannot write the shard database: \(error)")
        }
    }

    /// Labels in a shard database by status, read without changing it (for progress while its
    /// task may still be writing). A file not yet there counts as empty.
    public static func shardProgress(_ path: String) throws -> ShardProgress {
        guard FileManager.default.fileExists(atPath: path) else { return ShardProgress() }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in
                var p = ShardProgress()
                for r in try Row.fetchAll(db, sql: "SELECT status, count(*) FROM label GROUP BY status") {
                    switch r[0] as String {
                    case "ok": p.ok = r[1]
                    case "failed": p.failed = r[1]
                    default: p.timedOut = r[1]
                    }
                }
                return p
            }
        } catch {
            throw StoreError(.badInput, "\(path): not a readable qor database: \(error)")
        }
    }

    /// The ids of designs by content hash (those this database holds).
    public func designIDs(hashes: [String]) throws -> [String: Int64] {
        try pool.read { db in
            var out: [String: Int64] = [:]
            for h in Set(hashes) {
                if let id = try Int64.fetchOne(db, sql: "SELECT id FROM design WHERE hash = ?", arguments: [h]) { out[h] = id }
            }
            return out
        }
    }
}
