import ArgumentParser
import Netlist

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print inputs, outputs, latches, ANDs and levels of designs, like ABC's print_stats.",
        discussion: """
            The AIG is structurally hashed and cleaned as ABC's `read` does, so the numbers match \
            `berkeley-abc -c "read F; print_stats"`. Levels count the longest path to any output or latch \
            input.

            Examples:
              qor stats designs/gen/*.aig
              qor stats --json design.bench
            """
    )

    @Argument(help: "Design files (.aig .aag .bench .blif .v).")
    var files: [String]

    @Flag(help: "One JSON object per file per line, with the keys file, inputs, outputs, latches, ands, levels.")
    var json = false

    @OptionGroup var design: DesignOptions

    func run() throws {
        try reportingErrors {
            var rows: [DesignCounts] = []
            for file in files {
                let counts = DesignCounts(file: file, try DesignReader.read(path: file, options: design.readOptions))
                if json { print(counts.json) } else { rows.append(counts) }
            }
            if !json { print(DesignCounts.table(rows)) }
        }
    }
}
