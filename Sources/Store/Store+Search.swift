import Foundation
import GRDB

/// One label of a design as a search reads it: the flow, its status, and ABC's numbers when ok.
public struct DesignLabel: Sendable, Equatable {
    public var flowText: String
    public var status: String
    public var delay: Double?
    public var area: Double?
}

extension Store {
    /// The id of the stored design with this content hash, if any (reads only).
    public func designID(hash: String) throws -> Int64? {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM design WHERE hash = ?", arguments: [hash]) }
    }

    /// The id of the stored library with this content hash, if any (reads only).
    public func libraryID(hash: String) throws -> Int64? {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM library WHERE hash = ?", arguments: [hash]) }
    }

    /// Every label of one design and library, whatever its status, oldest first.
    public func designLabels(designID: Int64, libraryID: Int64) throws -> [DesignLabel] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT f.text, x.status, x.delay, x.area FROM label x JOIN flow f ON f.id = x.flow_id
                    WHERE x.design_id = ? AND x.library_id = ? ORDER BY x.created_at, x.flow_id
                    """, arguments: [designID, libraryID]
            ).map { r in DesignLabel(flowText: r[0], status: r[1], delay: r[2], area: r[3]) }
        }
    }
}
