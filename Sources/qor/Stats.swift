import ArgumentParser
import Netlist

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print inputs, outputs, latches, ANDs and levels of designs, like ABC's print_stats.",
        discussion: """
            Example:
              qor stats designs/gen/*.aig
              qor stats --json design.bench
            """
    )

    @Argument(help: "Design files (.aig .aag .bench .blif .v).")
    var files: [String]

    @Flag(help: "One JSON object per file per line.")
    var json = false

    @OptionGroup var design: DesignOptions

    func run() throws {
        try reportingErrors {
            for file in files {
                let aig = try DesignReader.read(path: file, options: design.readOptions)
                if json {
                    print("{\"file\":\"\(file)\",\"inputs\":\(aig.inputCount),\"outputs\":\(aig.outputs.count),\"latches\":\(aig.latchCount),\"ands\":\(aig.andCount),\"levels\":\(aig.depth)}")
                } else {
                    print("\(file): i/o = \(aig.inputCount)/\(aig.outputs.count)  lat = \(aig.latchCount)  and = \(aig.andCount)  lev = \(aig.depth)")
                }
            }
        }
    }
}
