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
    func labelOnSlurm(store: Store, designIDs: [Int64], flows: [Flow]) throws {
        var options = SubmitOptions(executable: Executable.current)
        (options.arraySize, options.partition, options.time) = (slurm.arraySize, slurm.partition, slurm.time)
        (options.sbatchArguments, options.timeout) = (slurm.sbatchArguments, timeout)
        let library = try LibrarySpec(genlib: library.genlib, liberty: library.liberty, lut: library.lut)
        let bar = Progress("label", total: designIDs.count * Set(flows).count, quiet: quiet || json || !slurm.wait)
        let o = try SlurmLabelling.label(
            store: store, designIDs: designIDs, flows: flows, library: library, options: options, wait: slurm.wait, poll: slurm.poll
        ) { s in bar.update(done: s.manifest.alreadyDone + s.progress.labels, note: s.taskNote) }
        if json {
            print(o.json)
        } else if o.manifest.shards > 0, !slurm.wait {
            notice(o.summary(waited: false))
        } else {
            bar.finish(o.summary(waited: slurm.wait))
        }
        if let failure = o.failure { throw failure }
    }

    /// `--shard FILE` (what an array task runs): one JSON line for the task's log.
    func labelShard(_ plan: String) throws { print(try ShardTask.run(plan: plan, jobs: jobs).json) }

    /// `--merge [--wait] [--run R]`.
    func mergeRuns() throws {
        let counts = try SlurmLabelling.mergeRuns(store: try database.open(), run: slurm.run, wait: slurm.wait, poll: slurm.poll)
        printMerge(counts, json: json, quiet: quiet)
    }

    /// `--status [--run R]`.
    func printStatus() throws {
        let runs = try SlurmLabelling.status(database: database.location.resolved, run: slurm.run)
        if json { return print("[" + runs.map(\.json).joined(separator: ",") + "]") }
        if runs.isEmpty { print("no Slurm runs for \(database.location.resolved)") }
        for r in runs { r.lines.forEach { print($0) } }
    }
}

/// One line per shard merged (or a JSON array).
func printMerge(_ counts: [ShardMergeCounts], json: Bool, quiet: Bool) {
    if json {
        print("[" + counts.map(\.json).joined(separator: ",") + "]")
    } else if !quiet {
        for c in counts { notice(c.line) }
        notice("\(counts.count) shards merged, \(counts.reduce(0) { $0 + $1.written }) labels written")
    }
}
