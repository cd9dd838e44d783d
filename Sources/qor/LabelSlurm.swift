import ArgumentParser
import Common
import Cluster
import Flows
import Foundation
import Store

/// The options of `qor label` that run it on a Slurm cluster.
struct SlurmOptions: ParsableArguments {
    @Flag(help: "Label on a Slurm cluster: one job array, each task labelling a shard into its own database.")
    var slurm = false
    @Option(help: "At most this many array tasks (shards).") var arraySize = 8
    @Option(help: "Slurm partition.") var partition: String?
    @Option(help: "Time limit of each task (sbatch --time).") var time: String?
    @Option(
        name: .customLong("sbatch-arg"), parsing: .unconditionalSingleValue,
        help: "One more sbatch option, as it is (repeatable), e.g. --sbatch-arg=--account=lab.")
    var sbatchArguments: [String] = []
    @Flag(help: "With --slurm or --merge: wait until the tasks end, then merge.") var wait = false
    @Flag(help: "Merge the shards of Slurm runs into the database.") var merge = false
    @Flag(help: "Show the tasks of Slurm runs: done, running, pending, failed.") var status = false
    @Option(help: "With --merge or --status: only this run (default: every run of the database).") var run: String?
    @Option(help: .hidden) var shard: String?
    @Option(help: .hidden) var poll: Double = 1
}

extension Label {
    /// `--slurm`: plan, submit, and with `--wait` wait and merge.
    func labelOnSlurm(store: Store, runID: Int64, designIDs: [Int64], flows: [Flow]) throws {
        let spec = try LibrarySpec(genlib: library.genlib, liberty: library.liberty, lut: library.lut)
        var options = SubmitOptions(executable: Executable.current)
        options.arraySize = slurm.arraySize
        options.partition = slurm.partition
        options.time = slurm.time
        options.sbatchArguments = slurm.sbatchArguments
        options.timeout = timeout
        let bar = Progress("label", total: designIDs.count * Set(flows).count, quiet: quiet || json || !slurm.wait)
        let o = try SlurmLabelling.label(
            store: store, designIDs: designIDs, flows: flows, library: spec, options: options, wait: slurm.wait, poll: slurm.poll
        ) { s in
            bar.update(
                done: s.manifest.alreadyDone + s.progress.labels,
                note: "tasks: \(s.count(.done)) done, \(s.count(.running)) running, \(s.count(.pending)) pending, \(s.count(.failed)) failed")
        }
        try store.endRun(runID, status: "ok")
        let m = o.manifest
        let p = o.status?.progress ?? ShardProgress()
        let written = o.merged.reduce(0) { $0 + $1.written }
        let failedTasks = o.status?.count(.failed) ?? 0
        if json {
            print(
                "{\"run\":\(jsonQuoted(m.run)),\"job\":\(m.job.map(jsonQuoted) ?? "null"),\"tasks\":\(m.shards),\"total\":\(m.total),"
                    + "\"already_done\":\(m.alreadyDone),\"labelled\":\(p.ok),\"failed\":\(p.failed),\"timed_out\":\(p.timedOut),"
                    + "\"merged\":\(written),\"failed_tasks\":\(failedTasks),\"folder\":\(jsonQuoted(o.folder?.path ?? "")),"
                    + "\"plan_seconds\":\(o.planSeconds),\"submit_seconds\":\(o.submitSeconds),\"wait_seconds\":\(o.waitSeconds),"
                    + "\"merge_seconds\":\(o.mergeSeconds)}")
        } else if m.shards == 0 {
            bar.finish("nothing to do: \(m.alreadyDone) of \(m.total) already labelled")
        } else if !slurm.wait {
            notice(
                "submitted job \(m.job ?? "?"): \(m.shards) tasks over \(m.total - m.alreadyDone) missing keys (run \(m.run)); "
                    + "`qor label --status` shows them, `qor label --merge` merges")
        } else {
            bar.finish(
                "\(p.ok) labelled, \(p.failed) failed, \(p.timedOut) timed out on \(m.shards) Slurm tasks (job \(m.job ?? "?")), "
                    + "\(m.alreadyDone) already done of \(m.total); \(written) merged")
        }
        if failedTasks > 0 {
            throw ClusterError(
                .incomplete, "\(failedTasks) of \(m.shards) tasks failed (their labels so far are merged); `qor label --status` says how to requeue them")
        }
    }

    /// `--shard FILE` (what an array task runs): one JSON line for the task's log.
    func labelShard(_ plan: String) throws {
        let r = try ShardTask.run(plan: plan, jobs: jobs)
        let s = r.summary
        print(
            "{\"shard\":\(r.shard),\"total\":\(s.total),\"labelled\":\(s.ok),\"failed\":\(s.failed),\"timed_out\":\(s.timedOut),"
                + "\"already_done\":\(s.alreadyDone),\"started\":\(r.started),\"ended\":\(r.ended),\"cpu_seconds\":\(r.cpuSeconds)}")
    }

    /// `--merge [--wait] [--run R]`.
    func mergeRuns() throws {
        let store = try database.open()
        let counts = try SlurmLabelling.mergeRuns(store: store, run: slurm.run, wait: slurm.wait, poll: slurm.poll)
        printMerge(counts, json: json, quiet: quiet)
    }

    /// `--status [--run R]`.
    func printStatus() throws {
        let runs = try SlurmLabelling.status(database: Store.resolvePath(database.path), run: slurm.run)
        if json {
            print("[" + runs.map { r in
                let p = r.progress
                return "{\"run\":\(jsonQuoted(r.manifest.run)),\"job\":\(r.manifest.job.map(jsonQuoted) ?? "null"),\"tasks\":\(r.tasks.count),"
                    + "\"done\":\(r.count(.done)),\"running\":\(r.count(.running)),\"pending\":\(r.count(.pending)),\"failed\":\(r.count(.failed)),"
                    + "\"keys\":\(r.keys),\"labels\":\(p.labels),\"labels_ok\":\(p.ok)}"
            }.joined(separator: ",") + "]")
            return
        }
        if runs.isEmpty { print("no Slurm runs for \(Store.resolvePath(database.path))") }
        for r in runs {
            let p = r.progress
            print(
                "run \(r.manifest.run) (job \(r.manifest.job ?? "not submitted")): \(r.tasks.count) tasks: \(r.count(.done)) done, "
                    + "\(r.count(.running)) running, \(r.count(.pending)) pending, \(r.count(.failed)) failed; "
                    + "\(p.labels)/\(r.keys) keys labelled (\(p.failed) failed, \(p.timedOut) timed out)")
            for t in r.tasks where t.state == .failed {
                let job = r.manifest.job ?? "?"
                let requeue = t.slurmState != nil
                    ? "scontrol requeue \(job)_\(t.index) && scontrol update JobId=\(job)_\(t.index) StartTime=now"
                    : "cd \(r.folder.path) && sbatch --array=\(t.index) \(r.manifest.sbatch.map { "'\($0)'" }.joined(separator: " ")) job.sh"
                print(
                    "  task \(t.index): \(t.slurmState ?? "gone"), \(t.progress.labels)/\(t.keys) labelled; log \(r.folder.log(t.index)); "
                        + "rerun: \(requeue)")
            }
        }
    }
}

/// One line per shard merged (or a JSON array).
func printMerge(_ counts: [ShardMergeCounts], json: Bool, quiet: Bool) {
    if json {
        print("[" + counts.map {
            "{\"shard\":\(jsonQuoted($0.shard)),\"labels\":\($0.labels),\"written\":\($0.written),\"unchanged\":\($0.unchanged)}"
        }.joined(separator: ",") + "]")
    } else if !quiet {
        for c in counts { notice("merged \(c.shard): \(c.labels) labels, \(c.written) written, \(c.unchanged) unchanged") }
        let written = counts.reduce(0) { $0 + $1.written }
        notice("\(counts.count) shards merged, \(written) labels written")
    }
}
