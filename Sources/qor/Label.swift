import ArgumentParser
import Foundation
import Workflows

struct Label: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run ABC on every missing (design, flow, library) key and store delay and area.",
        discussion: """
            Designs are read (files, or directories searched recursively), stored in the database by \
            content hash, and each missing key is labelled by one berkeley-abc process: the flow, then \
            technology mapping. Finished labels are committed one by one: a rerun, also after a crash \
            or kill, labels only what is missing. A failed or timed-out run is recorded with its error.

            With --slurm, the missing keys are split into shards beside the database (<db>.shards/RUN/) \
            and one Slurm job array labels them, each task into its own SQLite file; --wait waits and \
            merges, else `qor label --merge` merges later and `qor label --status` shows the tasks.

            Example:
              qor label --designs designs/gen --flows flows/resyn2.flow --jobs 2
              qor label --designs c880.bench --flows recipes.txt --liberty nangate45_typ.lib.gz
              qor label --designs designs/gen --flows recipes.txt --slurm --array-size 64 --wait
            """
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Design files or directories.")
    var designs: [String] = []

    @Option(help: "File of flows, one a line (`#` starts a comment).")
    var flows: String?

    @OptionGroup var library: LibraryOptions
    @OptionGroup var design: DesignOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "Parallel ABC processes (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Seconds before one ABC run is killed and recorded as timed out.")
    var timeout: Double = 600

    @Option(help: "Label only designs with at most this many AND gates.")
    var maxAnds: Int?

    @Flag(help: "No progress output.") var quiet = false
    @Flag(help: "Print the summary as one JSON object.") var json = false

    @OptionGroup(title: "Slurm") var slurm: SlurmOptions

    func validate() throws {
        if slurm.shard == nil, !slurm.merge, !slurm.status, designs.isEmpty || flows == nil {
            throw ValidationError("give --designs and --flows (or --merge, --status)")
        }
        try OptionCheck.count(jobs, "jobs", in: OptionCheck.jobs)
        try OptionCheck.number(timeout, "timeout", above: 0, upTo: OptionCheck.timeoutSeconds)
        try OptionCheck.count(maxAnds, "max-ands", in: 0...Int(Int32.max))
    }

    func run() throws {
        try reportingErrors {
            if let shard = slurm.shard { return try labelShard(shard) }
            if slurm.status { return try printStatus() }
            if slurm.merge { return try mergeRuns() }
            guard let flows else { throw ValidationError("give --flows") }
            let run = try LabelRun(designs: designs, flows: flows, library: try library.library(), timeout: timeout, readOptions: design.readOptions,
                                   maxAnds: maxAnds) { if !quiet { notice($0) } }
            let store = try database.open()
            try run.recorded(in: store) { designIDs in
                if slurm.slurm { return try labelOnSlurm(store: store, designIDs: designIDs, flows: run.flows) }
                let bar = Progress("label", total: designIDs.count * run.flows.count, quiet: quiet || json)
                let summary = try run.label(store: store, designIDs: designIDs, jobs: jobs) { bar.update(done: $0.done, note: $0.failures) }
                if json { return print(summary.json(library: run.library.id)) }
                bar.finish(summary.line(designs: designIDs.count, flows: run.flows.count, library: run.library.name))
            }
        }
    }
}
