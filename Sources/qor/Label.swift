import ArgumentParser
import Cluster
import Flows
import Foundation
import Labelling
import Netlist
import Store
import Synthesis

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
            let library = try library.library()
            // The library first: a file ABC cannot read is refused before anything is stored.
            try AbcDriver(timeout: timeout).checkLibrary(library)
            let (flowList, repeats) = try Flow.loadDistinctList(contentsOf: flows)
            if !quiet { repeats.forEach(notice) }
            let files = try DesignFiles.collect(designs)
            // Read every design before writing anything.
            var news: [NewDesign] = []
            for file in files {
                let aig = try DesignReader.read(path: file, options: design.readOptions)
                if let maxAnds, aig.andCount > maxAnds { continue }
                let format = DesignReader.detectFormat(file: file, bytes: Array(try FileIO.readBytes(file).prefix(4096)))
                news.append(NewDesign(name: DesignFiles.name(of: file), format: format?.rawValue ?? "?", source: file, aig: aig))
            }
            let store = try database.open()
            let runID = try store.startRun(command: "label", arguments: Array(CommandLine.arguments.dropFirst()))
            // A failure after this point ends the run as failed, never leaves it "running".
            let (designIDs, summary): ([Int64], Labeller.Summary)
            do {
                designIDs = Array(Set(try store.upsertDesigns(news))).sorted()
                if slurm.slurm {
                    try labelOnSlurm(store: store, runID: runID, designIDs: designIDs, flows: flowList)
                    return
                }
                let driver = AbcDriver(timeout: timeout)
                _ = try driver.version()
                let labeller = Labeller(store: store, driver: driver, library: library, jobs: jobs)
                let total = designIDs.count * flowList.count
                let bar = Progress("label", total: total, quiet: quiet || json)
                summary = try labeller.run(designIDs: designIDs, flows: flowList) { s in
                    bar.update(
                        done: s.alreadyDone + s.ok + s.failed + s.timedOut,
                        note: s.failed + s.timedOut > 0 ? "\(s.failed) failed, \(s.timedOut) timed out" : nil)
                }
                try store.endRun(runID, status: "ok")
                let line =
                    "\(summary.ok) labelled, \(summary.failed) failed, \(summary.timedOut) timed out, "
                    + "\(summary.alreadyDone) already done of \(summary.total) (\(designIDs.count) designs x \(flowList.count) flows, \(library.name))"
                if !json { bar.finish(line) }
            } catch {
                try? store.endRun(runID, status: "failed")
                throw error
            }
            if json {
                print(
                    "{\"total\":\(summary.total),\"labelled\":\(summary.ok),\"failed\":\(summary.failed),\"timed_out\":\(summary.timedOut),\"already_done\":\(summary.alreadyDone),\"library\":\(jsonQuoted(library.id))}"
                )
            }
        }
    }
}
