import Common
import Flows
import Foundation
import Netlist
import QoRModel

/// What `qor rank` minimises.
public enum RankObjective: String, CaseIterable, Sendable {
    case delay, area
    /// Area-delay product.
    case adp

    public func value(delay: Double, area: Double) -> Double {
        switch self {
        case .delay: delay
        case .area: area
        case .adp: delay * area
        }
    }
}

/// Candidate flows of one design ordered by predicted QoR, best first.
public struct Ranking: Sendable {
    public var flows: [Flow]
    public var predictions: [QoRPrediction]
    public var objective: RankObjective
    /// Indices into `flows`, best first (ties: file order).
    public var order: [Int]

    public init(flows: [Flow], predictions: [QoRPrediction], objective: RankObjective) {
        self.flows = flows
        self.predictions = predictions
        self.objective = objective
        let value = predictions.map { objective.value(delay: $0.delay, area: $0.area) }
        order = predictions.indices.sorted { (value[$0], $0) < (value[$1], $1) }
    }

    /// The best `top` as printed lines: one JSON object each, or a table.
    public func lines(top: Int, design: String, model: String, units: QoRUnits, json: Bool) -> [String] {
        var out: [String] = []
        if !json {
            out.append("best \(min(top, flows.count)) of \(flows.count) flows for \(design) by predicted \(objective.rawValue) (model \(model))")
            out.append("rank        delay           area              adp  flow")
        }
        for (k, i) in order.prefix(top).enumerated() {
            let p = predictions[i]
            if json {
                out.append("{\"rank\":\(k + 1),\"flow\":\(JSONText.quoted(flows[i].canonical)),\"delay\":\(p.delay),\"area\":\(p.area),"
                    + "\"adp\":\(p.delay * p.area),\"model\":\(JSONText.quoted(model))}")
            } else {
                out.append(String(format: "%4d %12.2f %14.2f %16.1f  %@", k + 1, p.delay, p.area, p.delay * p.area, flows[i].shortText))
            }
        }
        if !json { out.append("delay in \(units.delay), area in \(units.area)") }
        return out
    }
}
