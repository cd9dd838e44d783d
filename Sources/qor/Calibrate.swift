import ArgumentParser
import Flows
import Foundation
import Netlist
import QoRModel
import Store
import Synthesis
import Workflows

/// `--anchor N` / `--no-anchor`: how a design the model has not seen is predicted.
struct AnchorOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "For a design the model did not see in training: the true QoR of N flows typical of the model's training data (1 to 3) anchors the predictions. Labels already in the database are used (also ones imported for an external library); ABC runs for the rest, once (they are stored), with the model's cell library (--genlib, --liberty or --lut when it is not the default).",
            valueName: "N"))
    var anchor = 1

    @Flag(help: "Predict a design the model did not see from the model alone: no ABC run, but its overall delay and area level can be off by tens of percent.")
    var noAnchor = false

    func validate() throws {
        guard (1...3).contains(anchor) else { throw ValidationError("--anchor \(anchor): expected 1 to 3 (at most --anchor 3)") }
    }

    /// Anchors `model` on `design` unless the model knows it or `--no-anchor`; returns a notice.
    func apply(
        to model: ModelOptions.Loaded, design: DesignInput, library: LibraryOptions, database: DatabaseOptions, jobs: Int
    ) throws -> String? {
        guard !model.predictor.knows(design.sample) else { return nil }
        guard !noAnchor else {
            return "\(design.path) was not in the model's training data and --no-anchor: the model's answer alone, whose overall delay and area level comes from the design's structure and can be off by tens of percent"
        }
        let anchoring = Anchoring(count: anchor, library: try library.library(), jobs: jobs)
        let existing = FileManager.default.fileExists(atPath: Store.resolvePath(database.path)) ? try database.openReadOnly() : nil
        let outcome = try anchoring.anchor(model.predictor, design: design.sample, stored: design.newDesign, database: existing) {
            try database.open()
        }
        return "\(design.path) was not in the model's training data: " + outcome.summary
    }
}

/// Fails unless `library` is the one the model's labels were mapped with.
func requireModelLibrary(_ library: CellLibrary, of predictor: QoRPredictor) throws {
    guard predictor.config.library.contains(library.id) else {
        throw ValidationError(
            "the model was trained on labels of \(predictor.config.library); running ABC for it needs the same library (got \(library.id)): pass it with --genlib, --liberty or --lut")
    }
}

/// A design file read for prediction: its AIG and the model's view of it.
struct DesignInput {
    var path: String
    var aig: Aig
    var sample: DesignSample
    /// The design as the database stores it.
    var newDesign: NewDesign

    init(path: String, options: ReadOptions) throws {
        self.path = path
        aig = try DesignReader.read(path: path, options: options)
        sample = DesignSample(name: designName(path), hash: aig.contentHash, graph: AigGraph(aig))
        let format = DesignReader.detectFormat(file: path, bytes: (try? FileIO.readBytes(path).prefix(4096)).map(Array.init) ?? [])
        newDesign = NewDesign(name: sample.name, format: format?.rawValue ?? "unknown", source: path, aig: aig)
    }
}
