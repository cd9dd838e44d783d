/// What a search minimises: delay, area, or their product (ADP).
public enum SearchObjective: String, Sendable, CaseIterable, Codable {
    case delay, area, adp

    public func value(delay: Double, area: Double) -> Double {
        switch self {
        case .delay: delay
        case .area: area
        case .adp: delay * area
        }
    }
}

/// One verified result: a flow and ABC's numbers for it.
public struct VerifiedFlow: Sendable, Equatable {
    public var flow: String
    public var delay: Double
    public var area: Double

    public init(flow: String, delay: Double, area: Double) {
        self.flow = flow
        self.delay = delay
        self.area = area
    }

    public func value(_ objective: SearchObjective) -> Double { objective.value(delay: delay, area: area) }
}
