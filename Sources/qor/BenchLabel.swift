import ArgumentParser
import Benchmarks
import Common
import Foundation

struct BenchLabel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Time `qor label` against a bare shell loop running the same ABC scripts with the same parallelism.",
        discussion: """
            Both sides run the identical ABC scripts (same design files as qor stores them, same flows, \
            same library) on a fresh database; the shell side is `xargs -P JOBS berkeley-abc -s -f`. \
            ratio = qor / shell (1.05 means qor is 5% slower).

            Example:
              qor bench label --designs designs/gen --flows flows/resyn2.flow --jobs 2 --json
              qor bench label --slurm --array-size 8 --jobs 2 --json
            """
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Design files or directories (default: designs/gen/*.aig).")
    var designs: [String] = ["designs/gen"]

    @Option(help: "File of flows, one a line (default: 8 seeded random flows of 20 steps).")
    var flows: String?

    @Option(help: "Parallel ABC processes.") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Label only designs with at most this many AND gates.") var maxAnds: Int = 2000
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Instead: a Slurm array (qor label --slurm --wait) against local --jobs JOBS on the same keys.") var slurm = false
    @Option(help: "With --slurm: array tasks.") var arraySize = 8

    func validate() throws {
        try OptionCheck.count(jobs, "jobs", in: OptionCheck.jobs)
        try OptionCheck.count(maxAnds, "max-ands", in: 0...Int(Int32.max))
    }

    func run() throws {
        try reportingErrors {
            let bench = LabelBenchmark(designs: designs, flows: flows, jobs: jobs, maxAnds: maxAnds, slurmArraySize: slurm ? arraySize : nil,
                                       qor: Executable.current)
            print(try bench.run(json: json))
        }
    }
}
