import ArgumentParser

@main
struct Qor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qor",
        abstract: "Predict the delay and area that ABC reaches on a design after a synthesis flow.",
        discussion: """
            qor reads designs (AIGER, BENCH, BLIF, Verilog), labels them with the real ABC, keeps \
            everything in SQLite and learns to predict QoR from the AIG and the flow.

            Example:
              qor stats designs/gen/adder_8.aig
            """,
        subcommands: [
            Predict.self,
            Rank.self,
            SearchCommand.self,
            Stats.self,
            Convert.self,
            Import.self,
            Label.self,
            DB.self,
            Train.self,
            Compress.self,
            Report.self,
            Intervals.self,
            Profile.self,
            Bench.self,
        ]
    )

    /// Checks standard output at exit (``StandardOutput``), then runs the command.
    static func main() {
        StandardOutput.install()
        main(nil)
    }
}
