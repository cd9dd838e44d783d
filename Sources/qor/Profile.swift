import ArgumentParser
import Reports
import Workflows

struct Profile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Efficiency report of a model and its compressed children: size, MACs, activations, memory, speed, accuracy.",
        discussion: """
            One table (COMPRESSION.md §4, NTIRE 2022's efficiency metrics adapted to graphs), one row per \
            model: parameters, bytes on disk, MACs and activations per graph pass and per flow on the \
            reference workload (10 000 ANDs, 20-step flow), peak memory of `qor predict` on --design, \
            flows per second and per CPU second, training seconds per epoch, and MAPE and Spearman on the \
            test part of the root model's split with their change against each row's parent. A child's \
            parent is the one its config's compression entry names (added to the table when its file \
            exists), else --model. Writes efficiency.md and efficiency.json under --out (atomically).

            Examples:
              qor profile --model db/default.safetensors --db seed.sqlite --out reports/efficiency
              qor profile --model models/int8.safetensors --parent db/default.safetensors --child models/pruned.safetensors
            """
    )

    @Option(help: "Checkpoint (.safetensors) or name of a model in the database.")
    var model: String

    @Option(help: "The model's parent (listed first, the root the others are compared with).")
    var parent: String?

    @Option(help: "A compressed child of the model (repeatable).")
    var child: [String] = []

    @Option(help: "Design file whose `qor predict` peak memory is read (none: not measured).")
    var design: String?

    @Option(help: "Flow for the peak-memory reading.")
    var flow = "b; rw; rf; b; rwz; rfz"

    @Option(help: "Directory for efficiency.md and efficiency.json (created when missing).")
    var out = "reports/efficiency"

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            let report = try EfficiencyReport.measure(model: model, parent: parent, children: child, memoryDesign: design, memoryFlow: flow,
                                                      store: try database.openReadOnly()) { notice($0) }
            try report.write(to: out)
            print(report.markdown, terminator: "")
            print("wrote \(out)/efficiency.md and \(out)/efficiency.json")
        }
    }
}
