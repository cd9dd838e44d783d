import Common
import Foundation
import Labelling
import Store

/// How `qor label --slurm`, `--status` and `--merge` print what they did.
extension SlurmLabelling.Outcome {
    public var failedTasks: Int { status?.count(.failed) ?? 0 }
    var written: Int { merged.reduce(0) { $0 + $1.written } }

    public var json: String {
        let m = manifest, p = status?.progress ?? ShardProgress()
        return "{\"run\":\(JSONText.quoted(m.run)),\"job\":\(m.job.map(JSONText.quoted) ?? "null"),\"tasks\":\(m.shards),\"total\":\(m.total),"
            + "\"already_done\":\(m.alreadyDone),\"labelled\":\(p.ok),\"failed\":\(p.failed),\"timed_out\":\(p.timedOut),"
            + "\"merged\":\(written),\"failed_tasks\":\(failedTasks),\"folder\":\(JSONText.quoted(folder?.path ?? "")),"
            + "\"plan_seconds\":\(planSeconds),\"submit_seconds\":\(submitSeconds),\"wait_seconds\":\(waitSeconds),"
            + "\"merge_seconds\":\(mergeSeconds)}"
    }

    /// The closing line: nothing to do, submitted (no wait), or labelled and merged.
    public func summary(waited: Bool) -> String {
        let m = manifest, p = status?.progress ?? ShardProgress()
        if m.shards == 0 { return "nothing to do: \(m.alreadyDone) of \(m.total) already labelled" }
        if !waited {
            return "submitted job \(m.job ?? "?"): \(m.shards) tasks over \(m.total - m.alreadyDone) missing keys (run \(m.run)); "
                + "`qor label --status` shows them, `qor label --merge` merges"
        }
        return "\(p.ok) labelled, \(p.failed) failed, \(p.timedOut) timed out on \(m.shards) Slurm tasks (job \(m.job ?? "?")), "
            + "\(m.alreadyDone) already done of \(m.total); \(written) merged"
    }

    /// The error for tasks that failed (nil: none did).
    public var failure: ClusterError? {
        guard failedTasks > 0 else { return nil }
        return ClusterError(
            .incomplete, "\(failedTasks) of \(manifest.shards) tasks failed (their labels so far are merged); `qor label --status` says how to requeue them")
    }
}

extension RunStatus {
    /// The note beside the progress bar while waiting.
    public var taskNote: String {
        "tasks: \(count(.done)) done, \(count(.running)) running, \(count(.pending)) pending, \(count(.failed)) failed"
    }

    public var json: String {
        let p = progress
        return "{\"run\":\(JSONText.quoted(manifest.run)),\"job\":\(manifest.job.map(JSONText.quoted) ?? "null"),\"tasks\":\(tasks.count),"
            + "\"done\":\(count(.done)),\"running\":\(count(.running)),\"pending\":\(count(.pending)),\"failed\":\(count(.failed)),"
            + "\"keys\":\(keys),\"labels\":\(p.labels),\"labels_ok\":\(p.ok)}"
    }

    /// One line for the run, then one per failed task with the command that reruns it.
    public var lines: [String] {
        let p = progress
        var out = [
            "run \(manifest.run) (job \(manifest.job ?? "not submitted")): \(tasks.count) tasks: \(count(.done)) done, "
                + "\(count(.running)) running, \(count(.pending)) pending, \(count(.failed)) failed; "
                + "\(p.labels)/\(keys) keys labelled (\(p.failed) failed, \(p.timedOut) timed out)",
        ]
        for t in tasks where t.state == .failed {
            let job = manifest.job ?? "?"
            let requeue = t.slurmState != nil
                ? "scontrol requeue \(job)_\(t.index) && scontrol update JobId=\(job)_\(t.index) StartTime=now"
                : "cd \(folder.path) && sbatch --array=\(t.index) \(manifest.sbatch.map { "'\($0)'" }.joined(separator: " ")) job.sh"
            out.append("  task \(t.index): \(t.slurmState ?? "gone"), \(t.progress.labels)/\(t.keys) labelled; log \(folder.log(t.index)); rerun: \(requeue)")
        }
        return out
    }
}

extension ShardMergeCounts {
    public var json: String {
        "{\"shard\":\(JSONText.quoted(shard)),\"labels\":\(labels),\"written\":\(written),\"unchanged\":\(unchanged)}"
    }

    public var line: String { "merged \(shard): \(labels) labels, \(written) written, \(unchanged) unchanged" }
}

extension ShardTask.Report {
    /// The one JSON line a task writes to its log (`qor bench label --slurm` reads it back).
    public var json: String {
        let s = summary
        return "{\"shard\":\(shard),\"total\":\(s.total),\"labelled\":\(s.ok),\"failed\":\(s.failed),\"timed_out\":\(s.timedOut),"
            + "\"already_done\":\(s.alreadyDone),\"started\":\(started),\"ended\":\(ended),\"cpu_seconds\":\(cpuSeconds)}"
    }
}
