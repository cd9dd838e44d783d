import QoRModel

/// Predicts, for a design seen in training, the median of its training labels, for every flow.
/// It has no ranking skill within a design; it is the yardstick for designs the model has seen.
public struct MedianBaseline: Sendable {
    private let medians: [String: (delay: Double, area: Double)]

    public init(labels: [TrainingLabel]) {
        var delays: [String: [Double]] = [:]
        var areas: [String: [Double]] = [:]
        for l in labels {
            delays[l.design, default: []].append(l.delay)
            areas[l.design, default: []].append(l.area)
        }
        medians = delays.reduce(into: [:]) { out, item in
            out[item.key] = (Metrics.median(item.value), Metrics.median(areas[item.key] ?? []))
        }
    }

    /// The designs with training labels, sorted.
    public var designs: [String] { medians.keys.sorted() }

    /// The median training (delay, area) of a design; nil for a design without training labels.
    public func prediction(for design: String) -> (delay: Double, area: Double)? { medians[design] }
}
