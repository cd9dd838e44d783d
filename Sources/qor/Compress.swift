import ArgumentParser
import Workflows

struct Compress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a smaller or faster child of a trained model (compression options; the child records its parent).",
        discussion: """
            --int8: post-training quantisation. Every 2-D weight becomes int8 with one scale per \
            output column (stored as int8 alone: the file is about 3.6x smaller); for the sequence \
            model, the input ranges of the fusion MLP's four layers are calibrated on the training \
            flows of N training designs of the model's own training data (from the database), and \
            prediction runs the fusion on int8 kernels (AVX-512 VNNI where the CPU has it). The child's \
            config appends a compression step (option int8, its settings, the parent's config path and \
            weights fingerprint); `qor predict`, `rank` and `report` load it like any model. The test \
            scores of parent and child on the parent's own split are printed side by side.

            Example:
              qor compress --model db/default.safetensors --int8 --calibration-designs 8 --out models --name default-int8
            """
    )

    @OptionGroup var modelChoice: ModelOptions
    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Post-training int8 quantisation.")
    var int8 = false

    @Option(help: "Training designs whose flows calibrate the activation ranges.")
    var calibrationDesigns = 8

    @Option(help: "Directory for the checkpoint.")
    var out = "models"

    @Option(help: "Model name (file stem and database key); default <parent>-int8.")
    var name: String?

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func validate() throws {
        guard int8 else { throw ValidationError("choose a compression option: --int8") }
        try OptionCheck.count(calibrationDesigns, "calibration-designs", in: 1...1_000_000)
        if let name {
            guard !name.isEmpty, name.count <= 200, !name.contains("/"), !name.contains("\0"), !name.hasPrefix(".") else {
                throw ValidationError("--name must be a file name without '/' (and not starting with '.'), found '\(name)'")
            }
        }
    }

    func run() throws {
        try reportingErrors {
            let parent = try modelChoice.load(database: database)
            let outcome = try Int8Child(calibrationDesigns: calibrationDesigns, out: out, name: name).make(from: parent) { try database.open() }
            print(json ? try outcome.json : outcome.text)
        }
    }
}
