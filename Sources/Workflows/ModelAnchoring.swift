import Flows
import Foundation
import QoRModel
import Store

extension LoadedModel {
    /// Anchors the model on `design` unless it saw the design in training; `anchoring` (asked only
    /// then, so that its library is read only when needed) nil is `--no-anchor`. Labels come from the database when it exists, which is opened for writing
    /// only when ABC has to run. Returns the notice for the user (nil: nothing done).
    public func anchor(on design: DesignInput, with anchoring: () throws -> Anchoring?, database: DatabaseLocation) throws -> String? {
        guard !predictor.knows(design.sample) else { return nil }
        guard let anchoring = try anchoring() else {
            return "\(design.path) was not in the model's training data and --no-anchor: the model's answer alone, whose overall delay and area level comes from the design's structure and can be off by tens of percent"
        }
        let existing = database.exists ? try database.openReadOnly() : nil
        let outcome = try anchoring.anchor(predictor, design: design.sample, stored: design.newDesign, database: existing) {
            try database.open()
        }
        return "\(design.path) was not in the model's training data: " + outcome.summary
    }

    /// The notice for a design whose statistics are outside the training designs' (nil: inside).
    public func outOfDistributionNotice(_ design: DesignInput, _ outliers: [String]) -> String? {
        guard !outliers.isEmpty else { return nil }
        return "\(design.path) is out of the model's distribution: " + outliers.joined(separator: "; ")
            + ". Its predictions are extrapolated; without an anchor they can be off by far more than usual"
    }
}

extension Store {
    /// Records `predictions` of `flows` on `design` by `model` (the design, flows and model first).
    public func savePredictions(of model: LoadedModel, on design: DesignInput, flows: [Flow], _ predictions: [QoRPrediction]) throws {
        let designID = try upsertDesigns([design.newDesign])[0]
        let flowIDs = try upsertFlows(flows.map { NewFlow(text: $0.canonical, hash: $0.hash, length: $0.steps.count) })
        let modelID = try model.record(in: self)
        try savePredictions(modelID: modelID, designID: designID, zip(flowIDs, predictions).map { ($0, $1.delay, $1.area) })
    }
}
