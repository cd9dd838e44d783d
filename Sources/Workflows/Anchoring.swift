import Flows
import Foundation
import Labelling
import Netlist
import QoRModel
import Store
import Synthesis

/// A design new to the model costs one cheap ABC run once; every further flow costs milliseconds.
///
/// The model knows least about an unseen design's level (how large its delay and area are at all);
/// the true QoR of one flow typical of the training data fixes most of it (on the corpus: 3.6% /
/// 4.9% MAPE anchored on one typical recipe, against 11.3% / 17.7% anchored on mapping alone).
/// The anchors' labels come from the database first — of the model's own library, whether qor
/// labelled them or they were imported from an external library — and from ABC for the rest.
public struct Anchoring: Sendable {
    /// The model's calibration flows to anchor on (1 to all the model names; from
    /// 5 on, the design also borrows the flow ordering of training designs that respond like it).
    public var count: Int
    /// The mapping target to run ABC with when labels are missing; nil: the model's library is
    /// not available here, so every anchor label must already be in the database.
    public var library: CellLibrary?
    public var driver: AbcDriver
    public var jobs: Int

    public init(count: Int, library: CellLibrary?, driver: AbcDriver = AbcDriver(), jobs: Int) {
        self.count = count
        self.library = library
        self.driver = driver
        self.jobs = jobs
    }

    /// What an anchoring did.
    public struct Outcome: Sendable {
        public var calibration: Calibration
        public var fromDatabase: Int
        public var fromABC: Int

        /// One line for the user.
        public var summary: String {
            String(format: "anchored on %d flow(s) of the model (%d run by ABC now, %d from the database): delay x%.3f, area x%.3f",
                   calibration.labels, fromABC, fromDatabase, calibration.delayFactor, calibration.areaFactor)
                + (calibration.neighbours > 0
                    ? "; flows ordered as for the \(calibration.neighbours) training designs that respond most like it" : "")
        }
    }

    /// Anchors `predictor`'s predictions for `design` (which it must not know) to the true QoR of
    /// its first ``count`` calibration flows. `database` is read for labels already there (nil: no
    /// database yet); `open` opens it for writing when ABC has to run (its labels are stored).
    public func anchor(_ predictor: QoRPredictor, design: DesignSample, stored: NewDesign, database: Store?,
                       open: () throws -> Store) throws -> Outcome {
        let flows = try predictor.calibrationFlows(count)
        var truth = try Self.storedLabels(of: design, library: predictor.config.library, in: database)
        let fromDatabase = flows.filter { truth[$0.canonical] != nil }.count
        let missing = flows.filter { truth[$0.canonical] == nil }
        if !missing.isEmpty {
            guard let library, predictor.config.library.hasSuffix(" \(library.id))") else {
                throw AnchorError(
                    "\(design.name): the model was trained on labels of \(predictor.config.library) and the database has no label of this design for its anchor flow(s) (\(missing.map(\.shortText).joined(separator: " | "))); "
                        + "give that library (--genlib, --liberty or --lut) so that ABC can label them, import the labels, or pass --no-anchor for the model's answer alone")
            }
            let store = try open()
            let designID = try store.upsertDesigns([stored])[0]
            let labeller = Labeller(store: store, driver: driver, library: library, jobs: jobs)
            _ = try labeller.run(designIDs: [designID], flows: missing)
            truth = try Self.storedLabels(of: design, library: predictor.config.library, in: store)
            for f in missing where truth[f.canonical] == nil {
                throw AnchorError(
                    "\(design.name): ABC did not label the anchor flow '\(f.shortText)' with \(library.name); the error is recorded in \(store.path) (--no-anchor predicts without it)")
            }
        }
        let labels = flows.compactMap { truth[$0.canonical] }
        let calibration = try predictor.calibrate(design, flows: flows, truth: labels)
        return Outcome(calibration: calibration, fromDatabase: fromDatabase, fromABC: missing.count)
    }

    /// The ok labels of `design` in `database` under the library a model config names
    /// (`name (kind hash)`), by canonical flow text.
    static func storedLabels(of design: DesignSample, library: String, in database: Store?) throws -> [String: QoRPrediction] {
        guard let store = database, let designID = try store.designID(hash: design.hash) else { return [:] }
        var out: [String: QoRPrediction] = [:]
        for l in try store.libraries() where library.hasSuffix(" \(l.hash))") {
            for label in try store.designLabels(designID: designID, libraryID: l.id) where label.status == "ok" {
                if let d = label.delay, let a = label.area { out[label.flowText] = QoRPrediction(delay: d, area: a) }
            }
        }
        return out
    }
}

/// An anchoring that cannot be done; names the design and what would make it possible.
public struct AnchorError: Error, CustomStringConvertible {
    public var description: String
    init(_ text: String) { description = text }
}
