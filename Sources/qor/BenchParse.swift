import ArgumentParser
import Benchmarks
import Common

struct BenchParse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Time reading a design: a whole `qor stats FILE` process against `berkeley-abc -c \"read FILE\"`.",
        discussion: """
            Each side is run once to warm the caches and check that it reads the file, then timed over N \
            runs; the medians are reported, with ratio = qor / abc (below 1: qor is faster).

            Example:
              qor bench parse ../shared/designs/epfl/arithmetic/hyp.aig --runs 7 --json
            """
    )

    @Argument(help: "Design file to read.")
    var file: String

    @Option(help: "Timed runs per side; the median is reported.")
    var runs = 7

    @Flag(help: "Print one JSON object: file, qor_seconds, abc_seconds, ratio.")
    var json = false

    func validate() throws {
        try OptionCheck.count(runs, "runs", in: 1...10_000)
    }

    func run() throws {
        try reportingErrors {
            let result = try ParseBenchmark.run(file: file, runs: runs, qor: Executable.current)
            print(json ? result.json : result.text)
        }
    }
}
