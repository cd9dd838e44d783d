import Foundation
import GRDB

/// What merging one shard database did.
public struct ShardMergeCounts: Sendable, Equatable {
    public var shard: String
    /// Labels in the shard.
    public var labels = 0
    /// Labels inserted, or replacing a stored label that was not `ok`.
    public var written = 0
    /// Labels whose key already held an `ok` label (kept) or the same record (merged before).
    public var unchanged = 0
}

/// One label of a shard, keyed by what identifies it in any qor database: the design's content
/// hash, the flow's canonical text and the library's content hash.
struct ShardLabel: Sendable {
    var designHash: String, designName: String
    var flowText: String
    var libraryHash: String, libraryName: String
    var status: String
    var delay: Double?, area: Double?
    var ands: Int64?, levels: Int64?
    var seconds: Double?
    var abcVersion: String?, error: String?
    var createdAt: String
}

extension Store {
    /// Merges shard databases (written by `qor label --shard`, or any qor database) into this one
    /// with the rules of `qor label`: an `ok` label is never overwritten by a failure, a key is
    /// stored once, and a failure is replaced only by an `ok` label or a later failure, so merging
    /// the same shard twice changes nothing.
    ///
    /// Every shard is read and checked before anything is written: a file that is not an intact
    /// qor database, a label naming a design, flow or library this database does not hold, or (when
    /// `library` is given) a label of another library refuses the whole merge with ``StoreError``
    /// naming the file. Then each shard is written in its own transaction.
    public func merge(shards: [String], library: String? = nil) throws -> [ShardMergeCounts] {
        var resolved: [(String, [NewLabel], [String])] = []
        for path in shards {
            let labels = try ShardFile.labels(path)
            let (rows, created) = try resolve(labels, of: path, library: library)
            resolved.append((path, rows, created))
        }
        return try resolved.map { path, rows, created in
            try pool.write { db in
                let insert = try db.makeStatement(sql: Self.upsertLabelSQL)
                var counts = ShardMergeCounts(shard: path, labels: rows.count)
                for (l, at) in zip(rows, created) {
                    try insert.execute(arguments: [
                        l.designID, l.flowID, l.libraryID, l.status.rawValue, l.delay, l.area, l.ands, l.levels,
                        l.seconds, l.abcVersion, l.error, at,
                    ])
                    if db.changesCount > 0 { counts.written += 1 } else { counts.unchanged += 1 }
                }
                return counts
            }
        }
    }

    /// The shard's labels with this database's ids, and their creation times.
    private func resolve(_ labels: [ShardLabel], of path: String, library: String?) throws -> ([NewLabel], [String]) {
        try pool.read { db in
            var designs: [String: Int64] = [:], flows: [String: Int64] = [:], libraries: [String: Int64] = [:]
            var rows: [NewLabel] = []
            var created: [String] = []
            rows.reserveCapacity(labels.count)
            for l in labels {
                if let library, l.libraryHash != library {
                    throw StoreError(
                        .badInput, "\(path): labelled with library \(l.libraryName) (\(l.libraryHash)), not the run's library (\(library))")
                }
                let d = try designs[l.designHash] ?? Int64.fetchOne(db, sql: "SELECT id FROM design WHERE hash = ?", arguments: [l.designHash])
                guard let d else {
                    throw StoreError(.badInput, "\(path): design \(l.designName) (hash \(l.designHash)) is not in the database \(self.path)")
                }
                let f = try flows[l.flowText] ?? Int64.fetchOne(db, sql: "SELECT id FROM flow WHERE text = ?", arguments: [l.flowText])
                guard let f else {
                    throw StoreError(.badInput, "\(path): flow '\(l.flowText)' is not in the database \(self.path)")
                }
                let b = try libraries[l.libraryHash] ?? Int64.fetchOne(db, sql: "SELECT id FROM library WHERE hash = ?", arguments: [l.libraryHash])
                guard let b else {
                    throw StoreError(
                        .badInput, "\(path): labelled with library \(l.libraryName) (\(l.libraryHash)), which the database \(self.path) does not hold")
                }
                guard let status = LabelStatus(rawValue: l.status) else {
                    throw StoreError(.badInput, "\(path): label status '\(l.status)': expected ok, failed or timeout")
                }
                designs[l.designHash] = d
                flows[l.flowText] = f
                libraries[l.libraryHash] = b
                rows.append(NewLabel(
                    designID: d, flowID: f, libraryID: b, status: status, delay: l.delay, area: l.area,
                    ands: l.ands.map(Int.init), levels: l.levels.map(Int.init), seconds: l.seconds,
                    abcVersion: l.abcVersion, error: l.error))
                created.append(l.createdAt)
            }
            return (rows, created)
        }
    }
}

/// Reads a shard database without changing it, and says precisely why when it is not one.
enum ShardFile {
    static func labels(_ path: String) throws -> [ShardLabel] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw StoreError(.missingFile, "\(path): no such shard database")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StoreError(.io, "\(path): cannot read the file") }
        let header = handle.readData(ofLength: 16)
        try? handle.close()
        guard header == Data("SQLite format 3\0".utf8) else {
            throw StoreError(.badInput, "\(path): not a SQLite database (expected the header 'SQLite format 3')")
        }
        var config = Configuration()
        config.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else {
                    throw StoreError(.badInput, "\(path): corrupt database: \(check.prefix(3).joined(separator: "; "))")
                }
                guard try db.tableExists("label"), try db.tableExists("design"), try db.tableExists("flow"), try db.tableExists("library") else {
                    throw StoreError(.badInput, "\(path): not a qor database (expected the tables design, flow, library and label)")
                }
                let cursor = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT d.hash, d.name, f.text, b.hash, b.name, x.status, x.delay, x.area, x.ands, x.levels,
                            x.seconds, x.abc_version, x.error, x.created_at
                        FROM label x JOIN design d ON d.id = x.design_id JOIN flow f ON f.id = x.flow_id
                        JOIN library b ON b.id = x.library_id ORDER BY x.id
                        """)
                var out: [ShardLabel] = []
                while let r = try cursor.next() {
                    out.append(ShardLabel(
                        designHash: r[0], designName: r[1], flowText: r[2], libraryHash: r[3], libraryName: r[4], status: r[5],
                        delay: r[6], area: r[7], ands: r[8], levels: r[9], seconds: r[10], abcVersion: r[11], error: r[12],
                        createdAt: r[13]))
                }
                return out
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            throw StoreError(.badInput, "\(path): corrupt database: \(error.message ?? "\(error)")")
        } catch {
            throw StoreError(.badInput, "\(path): not a readable qor database: \(error)")
        }
    }
}
