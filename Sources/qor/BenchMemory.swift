import ArgumentParser
import Common
import Foundation
import Netlist
import Synthesis
import Reports

struct BenchMemory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Peak memory of `qor predict` per design, as bytes per AND; prints JSON.",
        discussion: """
            Each design is predicted in a fresh `qor predict DESIGN --flow F --no-save` process and its \
            peak RSS read from wait4 (as /usr/bin/time -v does). bytes_per_and is the whole peak over the \
            design's ANDs; marginal_bytes_per_and subtracts the peak on --baseline (a tiny design: the \
            process's fixed part).

            Example:
              qor bench memory ../shared/designs/epfl/arithmetic/hyp.aig ../shared/designs/epfl/random_control/arbiter.aig
            """
    )

    @Argument(help: "Design files.")
    var designs: [String]

    @Option(help: "Tiny design whose peak is the process's fixed part.")
    var baseline = "designs/gen/adder_8.aig"

    @Option(help: "Flow to predict.")
    var flow = "b; rw; rf; b; rwz; rfz"

    @Option(help: "Checkpoint (default: the shipped default model).")
    var model: String?

    func run() throws {
        try reportingErrors {
            let result = try MemoryBenchResult.measure(executable: Executable.current, designs: designs, baseline: baseline,
                                                       model: model, flow: flow, readOptions: ReadOptions(rtl: YosysFrontend())) { notice($0) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
    }
}
