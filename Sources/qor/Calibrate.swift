import ArgumentParser
import Flows
import Foundation
import Netlist
import QoRModel
import Store
import Synthesis

/// `--calibrate N`: anchors a design the model has not seen to ABC's results on the model's typical flows.
struct CalibrationOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "For a design the model did not see in training: run ABC on N of the flows the model names as typical of its training data (at most 3; labels already in the database are reused, new ones are stored) and scale the predictions to agree with them. Needs the model's cell library (--genlib, --liberty or --lut when it is not the default).",
            valueName: "N"))
    var calibrate = 0

    func validate() throws {
        guard (0...3).contains(calibrate) else { throw ValidationError("--calibrate \(calibrate): expected 0 to 3 (at most --calibrate 3)") }
    }

    /// Calibrates `model` on `design` when asked to and the model does not know the design;
    /// returns what it did, for a notice.
    func apply(
        to model: ModelOptions.Loaded, design: DesignInput, library: LibraryOptions, database: DatabaseOptions, jobs: Int
    ) throws -> String? {
        let known = model.predictor.knows(design.sample)
        guard calibrate > 0 else {
            return known ? nil : "\(design.path) was not in the model's training data: its overall delay and area level comes from its structure alone and can be off by tens of percent; --calibrate 3 fixes most of it with three ABC runs"
        }
        guard !known else {
            return "\(design.path) was in the model's training data; --calibrate is not needed and was ignored"
        }
        let flows = try model.predictor.calibrationFlows(calibrate)
        let lib = try library.library()
        try requireModelLibrary(lib, of: model.predictor)
        let store = try database.open()
        let designID = try store.upsertDesigns([design.newDesign])[0]
        let labeller = Labeller(store: store, driver: AbcDriver(), library: lib, jobs: jobs)
        let summary = try labeller.run(designIDs: [designID], flows: flows)
        let labels = Dictionary(
            try store.labels(libraryID: try labeller.libraryID(), designID: designID).map { ($0.flowText, $0) },
            uniquingKeysWith: { a, _ in a })
        var truth: [QoRPrediction] = []
        for f in flows {
            guard let l = labels[f.canonical] else {
                throw CalibrationError("\(design.path): ABC did not label the flow '\(f.shortText)' with \(lib.name); the error is recorded in \(store.path)")
            }
            truth.append(QoRPrediction(delay: l.delay, area: l.area))
        }
        let c = try model.predictor.calibrate(design.sample, flows: flows, truth: truth)
        return String(
            format: "calibrated on %d typical flow(s) of the model (%d run by ABC now, %d from the database): delay x%.3f, area x%.3f",
            flows.count, summary.ok, summary.alreadyDone, c.delayFactor, c.areaFactor)
    }
}

struct CalibrationError: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
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
