import Foundation
import GRDB

/// One `ok` label joined with its design and flow, as training and evaluation read them.
public struct LabelRow: Sendable, Equatable {
    public var designID: Int64
    public var designName: String
    public var flowID: Int64
    public var flowText: String
    public var delay: Double
    public var area: Double
}

/// A trained model as recorded in the database.
public struct ModelRow: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var kind: String
    public var path: String
    public var config: String
    public var fingerprint: String
    public var metrics: String
}

extension Store {
    /// Every `ok` label of a library (of one design when `designID` is given), ordered by design then flow.
    public func labels(libraryID: Int64, designID: Int64? = nil) throws -> [LabelRow] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT x.design_id, d.name, x.flow_id, f.text, x.delay, x.area
                    FROM label x JOIN design d ON d.id = x.design_id JOIN flow f ON f.id = x.flow_id
                    WHERE x.library_id = ? AND x.status = 'ok' AND (? IS NULL OR x.design_id = ?)
                    ORDER BY x.design_id, x.flow_id
                    """, arguments: [libraryID, designID, designID]
            ).map { r in
                LabelRow(designID: r[0], designName: r[1], flowID: r[2], flowText: r[3], delay: r[4], area: r[5])
            }
        }
    }

    /// Libraries as (id, hash, name, kind), with the number of `ok` labels of each.
    public func libraries() throws -> [(id: Int64, hash: String, name: String, kind: String, labels: Int)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.hash, l.name, l.kind,
                        (SELECT count(*) FROM label x WHERE x.library_id = l.id AND x.status = 'ok')
                    FROM library l ORDER BY l.id
                    """
            ).map { r in (r[0], r[1], r[2], r[3], r[4]) }
        }
    }

    /// Records a trained model (replacing one of the same name); returns its id.
    public func saveModel(name: String, kind: String, path: String, config: String, fingerprint: String, metrics: String) throws -> Int64 {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO model (name, kind, path, config, fingerprint, metrics) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, path = excluded.path, config = excluded.config,
                        fingerprint = excluded.fingerprint, metrics = excluded.metrics,
                        created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
                    """, arguments: [name, kind, path, config, fingerprint, metrics])
            return try Int64.fetchOne(db, sql: "SELECT id FROM model WHERE name = ?", arguments: [name]) ?? -1
        }
    }

    /// The model of that name, if recorded.
    public func model(named name: String) throws -> ModelRow? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, name, kind, path, config, fingerprint, metrics FROM model WHERE name = ?",
                arguments: [name]
            ).map { r in
                ModelRow(id: r[0], name: r[1], kind: r[2], path: r[3], config: r[4], fingerprint: r[5], metrics: r[6])
            }
        }
    }

    /// Stores predictions of a model for one design, one row per flow, in one transaction.
    public func savePredictions(modelID: Int64, designID: Int64, _ rows: [(flowID: Int64, delay: Double, area: Double)]) throws {
        try write { db in
            let statement = try db.makeStatement(
                sql: "INSERT INTO prediction (model_id, design_id, flow_id, delay, area) VALUES (?, ?, ?, ?, ?)")
            for r in rows { try statement.execute(arguments: [modelID, designID, r.flowID, r.delay, r.area]) }
        }
    }
}
