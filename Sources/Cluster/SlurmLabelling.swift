import Flows
import Foundation
import Store

/// `qor label --slurm`: plan the missing keys into shards, submit one Slurm array over them,
/// optionally wait for it and merge the shards into the main database.
public enum SlurmLabelling {
    /// What a Slurm labelling did, with where its time went.
    public struct Outcome: Sendable {
        public var folder: RunFolder?
        public var manifest: RunManifest
        /// After waiting: the tasks as they ended, and what merging wrote.
        public var status: RunStatus?
        public var merged: [ShardMergeCounts] = []
        public var planSeconds = 0.0
        public var submitSeconds = 0.0
        public var waitSeconds = 0.0
        public var mergeSeconds = 0.0
    }

    /// Plans, submits and (when `wait`) waits and merges. `progress` is called while waiting with
    /// the labels the shards hold so far. Nothing is submitted when no key is missing; tasks that
    /// failed show in the returned status (their keys stay missing until rerun or requeued).
    public static func label(
        store: Store, designIDs: [Int64], flows: [Flow], library: LibrarySpec, options: SubmitOptions, wait: Bool,
        poll: Double = 1, progress: @escaping @Sendable (RunStatus) -> Void = { _ in }
    ) throws -> Outcome {
        let t0 = Date()
        let planner = ShardPlanner(store: store, library: library, shards: options.arraySize, timeout: options.timeout)
        let (folder, planned) = try planner.plan(designIDs: designIDs, flows: flows)
        var outcome = Outcome(folder: folder, manifest: planned)
        outcome.planSeconds = Date().timeIntervalSince(t0)
        guard let folder else { return outcome }
        let t1 = Date()
        do {
            outcome.manifest = try SlurmSubmit.submit(folder, planned, options: options)
        } catch {
            // A run Slurm never took would only confuse --status and --merge later.
            try? FileManager.default.removeItem(atPath: folder.path)
            throw error
        }
        outcome.submitSeconds = Date().timeIntervalSince(t1)
        guard wait else { return outcome }
        let t2 = Date()
        let status = try waitFor(folder, poll: poll, progress: progress)
        outcome.waitSeconds = Date().timeIntervalSince(t2)
        let t3 = Date()
        outcome.merged = try merge(store: store, runs: [folder])
        outcome.mergeSeconds = Date().timeIntervalSince(t3)
        outcome.status = status
        return outcome
    }

    /// Polls Slurm and the shards every `poll` seconds until no task of the run is pending or running.
    public static func waitFor(
        _ folder: RunFolder, poll: Double = 1, progress: @escaping @Sendable (RunStatus) -> Void = { _ in }
    ) throws -> RunStatus {
        while true {
            let status = try RunStatus.read(folder)
            progress(status)
            if status.ended { return status }
            usleep(useconds_t(max(0.05, poll) * 1e6))
        }
    }

    /// Merges the shards of each run into the main database, each run checked against its library.
    public static func merge(store: Store, runs: [RunFolder]) throws -> [ShardMergeCounts] {
        var out: [ShardMergeCounts] = []
        for folder in runs {
            let manifest = try folder.readManifest()
            let shards = (0..<manifest.shards).map { folder.database($0) }
            out += try store.merge(shards: shards, library: manifest.library.id)
        }
        return out
    }

    /// The runs of a main database: every one, or the one named.
    public static func runs(database: String, named name: String? = nil) throws -> [RunFolder] {
        let all = try RunFolder.all(database: database)
        guard let name else { return all }
        guard let run = all.first(where: { URL(fileURLWithPath: $0.path).lastPathComponent == name }) else {
            throw ClusterError(.missingFile, "\(RunFolder.root(database: database))/\(name): no such run")
        }
        return [run]
    }

    /// `qor label --merge [--wait]`: waits for the runs' tasks when asked, then merges them.
    public static func mergeRuns(store: Store, run: String?, wait: Bool, poll: Double = 1) throws -> [ShardMergeCounts] {
        let folders = try runs(database: store.path, named: run)
        if wait { for f in folders { _ = try waitFor(f, poll: poll) } }
        return try merge(store: store, runs: folders)
    }

    /// `qor label --status`.
    public static func status(database: String, run: String?) throws -> [RunStatus] {
        try runs(database: database, named: run).map(RunStatus.read)
    }
}
