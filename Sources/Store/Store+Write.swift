import Foundation
import GRDB
import Netlist

extension Store {
    /// Inserts the designs not yet stored (by content hash) in one transaction; returns the
    /// id of each, in order, whether new or already present.
    public func upsertDesigns(_ designs: [NewDesign]) throws -> [Int64] {
        try write { db in
            try designs.map { d in
                let hash = d.aig.contentHash
                if let id = try Int64.fetchOne(db, sql: "SELECT id FROM design WHERE hash = ?", arguments: [hash]) {
                    return id
                }
                try db.execute(
                    sql: """
                        INSERT INTO design (hash, name, format, source, inputs, outputs, latches, ands, levels, aiger)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        hash, d.name, d.format, d.source, d.aig.inputCount, d.aig.outputs.count, d.aig.latchCount,
                        d.aig.andCount, d.aig.depth, Data(AigerWriter.binary(d.aig)),
                    ])
                return db.lastInsertedRowID
            }
        }
    }

    /// Inserts the flows not yet stored (by canonical text); returns the id of each, in order.
    public func upsertFlows(_ flows: [NewFlow]) throws -> [Int64] {
        try write { db in
            try flows.map { f in
                try db.execute(
                    sql: "INSERT INTO flow (text, hash, length) VALUES (?, ?, ?) ON CONFLICT(text) DO NOTHING",
                    arguments: [f.text, f.hash, f.length])
                return try Int64.fetchOne(db, sql: "SELECT id FROM flow WHERE text = ?", arguments: [f.text]) ?? -1
            }
        }
    }

    /// The id of the library with this content hash, inserting it when new.
    public func upsertLibrary(hash: String, name: String, kind: String) throws -> Int64 {
        try write { db in
            try db.execute(
                sql: "INSERT INTO library (hash, name, kind) VALUES (?, ?, ?) ON CONFLICT(hash) DO NOTHING",
                arguments: [hash, name, kind])
            return try Int64.fetchOne(db, sql: "SELECT id FROM library WHERE hash = ?", arguments: [hash]) ?? -1
        }
    }

    /// The one rule for writing a label, shared by labelling, importing and merging: a key that
    /// already has an `ok` label keeps it; a key whose earlier run failed or timed out is
    /// overwritten by an `ok` label or a later failure (so merging a shard twice changes nothing). Parameters: design, flow, library, status, delay, area, ands, levels, seconds,
    /// abc_version, error, created_at (NULL: now).
    static let upsertLabelSQL = """
        INSERT INTO label (design_id, flow_id, library_id, status, delay, area, ands, levels, seconds, abc_version, error, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ','now')))
        ON CONFLICT(design_id, flow_id, library_id) DO UPDATE SET
            status = excluded.status, delay = excluded.delay, area = excluded.area,
            ands = excluded.ands, levels = excluded.levels, seconds = excluded.seconds,
            abc_version = excluded.abc_version, error = excluded.error, created_at = excluded.created_at
        WHERE label.status != 'ok' AND (excluded.status = 'ok' OR excluded.created_at > label.created_at)
        """

    /// Stores labels in one transaction, by the rule of ``upsertLabelSQL``.
    public func insertLabels(_ labels: [NewLabel]) throws {
        try write { db in try Self.upsert(labels, db) }
    }

    static func upsert(_ labels: [NewLabel], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: upsertLabelSQL)
        for l in labels {
            try statement.execute(arguments: [
                l.designID, l.flowID, l.libraryID, l.status.rawValue, l.delay, l.area, l.ands, l.levels,
                l.seconds, l.abcVersion, l.error, nil,
            ])
        }
    }

    /// Records the start of a command; returns the run id for ``endRun(_:status:)``.
    public func startRun(command: String, arguments: [String]) throws -> Int64 {
        let json = String(decoding: try JSONEncoder().encode(arguments), as: UTF8.self)
        return try write { db in
            try db.execute(sql: "INSERT INTO run (command, arguments) VALUES (?, ?)", arguments: [command, json])
            return db.lastInsertedRowID
        }
    }

    public func endRun(_ id: Int64, status: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE run SET ended_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), status = ? WHERE id = ?",
                arguments: [status, id])
        }
    }
}
