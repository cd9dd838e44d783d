import ArgumentParser
import Benchmarks
import Common

struct BenchImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Time `qor import csv` of a synthetic label file, as a whole process.",
        discussion: """
            In a temporary directory, writes a few generated designs (ripple-carry adders), imports them \
            with `qor import designs`, writes a CSV in the `qor db export --csv` format with N rows \
            (every design against ceil(N / designs) distinct random 20-step flows), then times one \
            `qor import csv` process into that fresh database and checks that every row was stored.

            Example:
              qor bench import --rows 1000000 --json
            """
    )

    @Option(help: "Label rows in the generated CSV.")
    var rows = 1_000_000

    @Option(help: "Generated designs the rows are spread over.")
    var designs = 10

    @Flag(help: "Print one JSON object: rows, seconds, rows_per_second.")
    var json = false

    func validate() throws {
        try OptionCheck.count(rows, "rows", in: 1...100_000_000)
        guard (1...64).contains(designs) else { throw ValidationError("--designs must be in 1...64") }
    }

    func run() throws {
        try reportingErrors {
            let result = try ImportBenchmark.run(rows: rows, designs: designs, qor: Executable.current)
            print(json ? result.json : result.text)
        }
    }
}
