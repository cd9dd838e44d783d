import Common
import Foundation
import GRDB

extension Store {
    /// Stored designs, optionally only those with the given ids.
    public func designs(ids: [Int64]? = nil) throws -> [DesignRow] {
        try read { db in
            var sql = "SELECT id, hash, name, format, source, inputs, outputs, latches, ands, levels FROM design"
            if let ids { sql += " WHERE id IN (\(ids.map(String.init).joined(separator: ",")))" }
            return try Row.fetchAll(db, sql: sql + " ORDER BY id").map { r in
                DesignRow(
                    id: r[0], hash: r[1], name: r[2], format: r[3], source: r[4], inputs: r[5], outputs: r[6],
                    latches: r[7], ands: r[8], levels: r[9])
            }
        }
    }

    /// The binary AIGER of a stored design.
    public func designAiger(id: Int64) throws -> [UInt8] {
        try read { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT aiger FROM design WHERE id = ?", arguments: [id]) else {
                throw StoreError(.badInput, "no design with id \(id)")
            }
            return [UInt8](data)
        }
    }

    /// The (design, flow) pairs among the given ones that have no `ok` label for the library.
    public func unlabelled(designIDs: [Int64], flowIDs: [Int64], libraryID: Int64) throws -> [(design: Int64, flow: Int64)] {
        let done: Set<[Int64]> = try read { db in
            var done = Set<[Int64]>()
            let rows = try Row.fetchCursor(
                db, sql: "SELECT design_id, flow_id FROM label WHERE library_id = ? AND status = 'ok'",
                arguments: [libraryID])
            while let r = try rows.next() { done.insert([r[0], r[1]]) }
            return done
        }
        var out: [(design: Int64, flow: Int64)] = []
        for d in designIDs {
            for f in flowIDs where !done.contains([d, f]) { out.append((d, f)) }
        }
        return out
    }

    /// Writes every label as CSV (`design,flow,library,status,delay,area,ands,levels,seconds,abc_version`),
    /// atomically.
    public func exportLabelsCSV(to path: String) throws -> Int {
        var out = "design,flow,library,status,delay,area,ands,levels,seconds,abc_version\n"
        let n: Int = try read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT d.name, f.text, l.name, x.status, x.delay, x.area, x.ands, x.levels, x.seconds, x.abc_version
                    FROM label x JOIN design d ON d.id = x.design_id JOIN flow f ON f.id = x.flow_id
                    JOIN library l ON l.id = x.library_id ORDER BY d.name, f.id
                    """)
            var n = 0
            while let r = try rows.next() {
                let fields: [String] = (0..<10).map { i in
                    let v: DatabaseValue = r[i]
                    switch v.storage {
                    case .null: return ""
                    case .int64(let x): return String(x)
                    case .double(let x): return String(x)
                    case .string(let s): return CSVText.quote(s)
                    case .blob: return ""
                    }
                }
                out += fields.joined(separator: ",") + "\n"
                n += 1
            }
            return n
        }
        do { try AtomicFile.write(out, to: path) } catch { throw StoreError(.io, error.description) }
        return n
    }
}

