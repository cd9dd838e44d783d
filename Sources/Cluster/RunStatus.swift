import Foundation
import Store

/// Where one array task stands, from Slurm and from its shard database.
public struct TaskStatus: Sendable {
    public enum State: String, Sendable { case pending, running, done, failed }
    public var index: Int
    public var state: State
    /// Slurm's word for it, while the controller remembers the task.
    public var slurmState: String?
    public var keys: Int
    public var progress: ShardProgress
}

/// Where a run stands.
public struct RunStatus: Sendable {
    public var folder: RunFolder
    public var manifest: RunManifest
    public var tasks: [TaskStatus]

    public func count(_ state: TaskStatus.State) -> Int { tasks.filter { $0.state == state }.count }
    public var keys: Int { tasks.reduce(0) { $0 + $1.keys } }
    public var progress: ShardProgress {
        tasks.reduce(into: ShardProgress()) { p, t in
            p.ok += t.progress.ok
            p.failed += t.progress.failed
            p.timedOut += t.progress.timedOut
        }
    }
    /// True when no task is pending or running.
    public var ended: Bool { count(.pending) + count(.running) == 0 }

    /// Reads Slurm's queue (once) and every shard. A task is done when its shard holds a label for
    /// every key; one Slurm no longer runs that is not done has failed (cancelled, timed out, lost).
    public static func read(_ folder: RunFolder) throws -> RunStatus {
        let manifest = try folder.readManifest()
        let states = try manifest.job.map { try SlurmQueue.tasks(of: $0) } ?? [:]
        var tasks: [TaskStatus] = []
        for k in 0..<manifest.shards {
            let plan = try JSONFile.read(ShardPlan.self, folder.plan(k))
            let progress = try Store.shardProgress(folder.database(k))
            let slurm = states[k]
            let complete = progress.labels >= plan.keys.count
            let state: TaskStatus.State
            if manifest.job == nil {
                state = complete ? .done : .pending
            } else if let slurm, SlurmQueue.active.contains(slurm) {
                state = slurm == "PENDING" || slurm.hasPrefix("REQUEUE") ? .pending : .running
            } else {
                state = complete ? .done : .failed
            }
            tasks.append(TaskStatus(index: k, state: state, slurmState: slurm, keys: plan.keys.count, progress: progress))
        }
        return RunStatus(folder: folder, manifest: manifest, tasks: tasks)
    }
}
