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
            var rows: [[String]] = []
            for file in files {
                let aig = try DesignReader.read(path: file, options: design.readOptions)
                let counts = [aig.inputCount, aig.outputs.count, aig.latchCount, aig.andCount, aig.depth]
                if json {
                    let keys = ["inputs", "outputs", "latches", "ands", "levels"]
                    let fields = zip(keys, counts).map { "\"\($0)\":\($1)" }
                    print("{\"file\":\(jsonQuoted(file)),\(fields.joined(separator: ","))}")
                } else {
                    rows.append([file] + counts.map(String.init))
                }
            }
            if !json { printTable(header: ["file", "inputs", "outputs", "latches", "ands", "levels"], rows: rows) }
        }
    }

    /// The first column left-aligned, the others right-aligned.
    private func printTable(header: [String], rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        for row in all {
            let cells = row.enumerated().map { c, text in
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return c == 0 ? text + pad : pad + text
            }
            print(cells.joined(separator: "  "))
        }
    }
}
