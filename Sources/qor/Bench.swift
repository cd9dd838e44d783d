import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed; prints JSON",
        discussion: """
            Benchmarks are not tests: each subcommand times real work (often against ABC) and prints the \
            numbers.

            Example:
              qor bench parse ../shared/designs/epfl/arithmetic/hyp.aig --json
            """,
        subcommands: [BenchParse.self, BenchLabel.self, BenchImport.self, BenchTensor.self, BenchPredict.self, BenchSearch.self, BenchMemory.self, BenchNM.self, BenchTrain.self]
    )
}
