import Flows
import Foundation
import QoRModel

/// The model's predicted objective for flows on one design, as a log, cached by flow text.
/// For a design the model did not see this is its structural level plus the pooled flow ridge
/// plus the network's flow effect: the prior a search starts from before it has labels.
public final class ModelPrior {
    let predictor: QoRPredictor
    let design: DesignSample
    let objective: SearchObjective
    private var cache: [String: Double] = [:]

    public init(predictor: QoRPredictor, design: DesignSample, objective: SearchObjective) {
        self.predictor = predictor
        self.design = design
        self.objective = objective
    }

    /// The log of the predicted objective of each flow (one batch for the flows not cached).
    public func logValues(_ flows: [Flow]) throws(ModelError) -> [Double] {
        var missing: [Flow] = []
        var queued = Set<String>()
        for f in flows where cache[f.canonical] == nil && queued.insert(f.canonical).inserted { missing.append(f) }
        if !missing.isEmpty {
            let p = try predictor.predict(design, flows: missing)
            for (f, q) in zip(missing, p) { cache[f.canonical] = Foundation.log(max(1e-12, objective.value(delay: q.delay, area: q.area))) }
        }
        return flows.map { cache[$0.canonical] ?? 0 }
    }

}
