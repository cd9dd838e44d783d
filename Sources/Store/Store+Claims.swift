import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who holds a claim on a key: a labelling process, as `host pid token`.
public struct ClaimOwner: Sendable, Equatable {
    public let id: String

    /// This process, with a fresh token (two labellers in one process are two owners).
    public static func current() -> ClaimOwner {
        ClaimOwner(id: "\(hostName()) \(getpid()) \(UUID().uuidString)")
    }

    public init(id: String) { self.id = id }

    /// True when the owner was a process of this host that no longer exists: its claims are
    /// taken over at once instead of at their expiry (a crashed or killed labeller).
    var isGone: Bool {
        let parts = id.split(separator: " ")
        guard parts.count == 3, parts[0] == Substring(Self.hostName()), let pid = pid_t(parts[1]) else { return false }
        return kill(pid, 0) == -1 && errno == ESRCH
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// One (design, flow, library) key.
public struct LabelKey: Sendable, Hashable {
    public var design: Int64
    public var flow: Int64
    public var library: Int64
    public init(design: Int64, flow: Int64, library: Int64) {
        self.design = design
        self.flow = flow
        self.library = library
    }
}

/// What ``Store/claim(_:owner:seconds:since:)`` found.
public enum ClaimOutcome: Sendable, Equatable {
    /// The key is ours until the claim expires: run ABC on it.
    case claimed
    /// The key has an `ok` label, or another labeller recorded one since `since`: nothing to do.
    case labelled
    /// Another live labeller holds it: come back later.
    case busy
}

extension Store {
    /// The database's clock, in the format of `created_at`.
    public func now() throws -> String {
        try read { db in try String.fetchOne(db, sql: "SELECT strftime('%Y-%m-%dT%H:%M:%fZ','now')") ?? "" }
    }

    /// Claims `key` for `owner` for `seconds`, in one short transaction, unless it is labelled (an
    /// `ok` label, or any label recorded at or after `since`: a concurrent labeller's failed run
    /// counts as done for this batch) or claimed by another owner whose claim has not expired and
    /// whose process still exists.
    public func claim(_ key: LabelKey, owner: ClaimOwner, seconds: Double, since: String) throws -> ClaimOutcome {
        try write { db in
            let arguments: StatementArguments = [key.design, key.flow, key.library]
            if try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM label WHERE design_id = ? AND flow_id = ? AND library_id = ?
                        AND (status = 'ok' OR created_at >= ?))
                    """, arguments: arguments + [since]) == true
            {
                return .labelled
            }
            let now = Date().timeIntervalSince1970
            if let row = try Row.fetchOne(
                db, sql: "SELECT owner, expires_at FROM label_claim WHERE design_id = ? AND flow_id = ? AND library_id = ?",
                arguments: arguments)
            {
                let holder = ClaimOwner(id: row[0])
                let expires: Double = row[1]
                if holder != owner, expires > now, !holder.isGone { return .busy }
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO label_claim (design_id, flow_id, library_id, owner, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: arguments + [owner.id, now + seconds])
            return .claimed
        }
    }

    /// Stores the label of a claimed key (``upsertLabelSQL``) and releases the claim, in one transaction.
    public func record(_ label: NewLabel, releasing owner: ClaimOwner) throws {
        try write { db in
            try Self.upsert([label], db)
            try db.execute(
                sql: "DELETE FROM label_claim WHERE design_id = ? AND flow_id = ? AND library_id = ? AND owner = ?",
                arguments: [label.designID, label.flowID, label.libraryID, owner.id])
        }
    }

    /// Releases every claim of `owner` (at the end of a batch, also a failed one).
    public func releaseClaims(of owner: ClaimOwner) throws {
        try write { db in try db.execute(sql: "DELETE FROM label_claim WHERE owner = ?", arguments: [owner.id]) }
    }

    /// The claims held now, as (key, owner), for inspection and tests.
    public func claims() throws -> [(key: LabelKey, owner: String, expires: Double)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT design_id, flow_id, library_id, owner, expires_at FROM label_claim ORDER BY 1, 2, 3")
                .map { r in (LabelKey(design: r[0], flow: r[1], library: r[2]), r[3], r[4]) }
        }
    }
}
