import Foundation
import Tensor

/// Settings of Degree-Quant quantisation-aware training of the GNN (COMPRESSION.md §1.3; INT8
/// defaults of the reference: p_low 0, p_high 0.1, percentile 0.001, EMA momentum 0.01, GC).
public struct DegreeQuantSettings: Sendable, Equatable {
    /// Protection probability of the lowest and of the highest in-degree.
    public var low = 0.0, high = 0.1
    public var bits = 8
    public var percentile = 0.001
    public var momentum = 0.01
    public var gradient = QuantGradient.clipped

    public init(low: Double = 0, high: Double = 0.1) {
        self.low = low
        self.high = high
    }

    /// The option's name in a model's `compression` steps.
    public static let option = "degree-quant"
}

/// Degree-Quant while a GNN runs: the range of every quantised site (tracked in training, frozen
/// at evaluation), the protected nodes of the current graph, and the generator that draws them.
/// Sites of `AigConvolution` (per layer): `input` (node states; messages are the sources' states,
/// so they carry the source's mask), `aggregate0...3` (each operator's aggregate, by destination),
/// `linear` (after the linear transform) and `update` (the layer's output). The GNN's weights are
/// int8 per output column (`ParameterStore.quantize`, straight-through), the form the int8 path runs.
final class DegreeQuantState: @unchecked Sendable {
    let settings: DegreeQuantSettings
    /// Training: ranges update and protected nodes are drawn; otherwise everything is low precision
    /// with the ranges as they are.
    var training = false
    private(set) var trackers: [String: RangeTracker] = [:]
    private var rng: SeededGenerator
    /// Protected nodes of the graph being run (training only).
    private var protected: [Bool]?

    init(_ settings: DegreeQuantSettings, seed: UInt64) {
        self.settings = settings
        rng = SeededGenerator(seed: seed &+ 0xD0)
    }

    /// Frozen ranges read back from a model's `degree-quant` step.
    convenience init?(_ steps: [CompressionStep]) {
        guard let step = steps.last(where: { $0.option == DegreeQuantSettings.option }) else { return nil }
        var s = DegreeQuantSettings(low: Double(step.settings["pLow"] ?? "") ?? 0, high: Double(step.settings["pHigh"] ?? "") ?? 0.1)
        s.bits = Int(step.settings["bits"] ?? "") ?? 8
        self.init(s, seed: 0)
        for (key, text) in step.settings where key.hasPrefix("range.") {
            let parts = text.split(separator: " ").compactMap { Double(String($0)) }
            if parts.count == 2 { trackers[String(key.dropFirst(6))] = RangeTracker(min: parts[0], max: parts[1]) }
        }
    }

    /// The step a model trained with Degree-Quant records: settings and every site's range.
    var step: CompressionStep {
        var s: [String: String] = ["pLow": "\(settings.low)", "pHigh": "\(settings.high)", "bits": "\(settings.bits)",
                                   "percentile": "\(settings.percentile)", "momentum": "\(settings.momentum)",
                                   "gradient": settings.gradient.rawValue, "weights": "graph.*: int8 symmetric per output column"]
        for (site, t) in trackers { s["range." + site] = "\(t.min) \(t.max)" }
        return CompressionStep(option: DegreeQuantSettings.option, settings: s)
    }

    func snapshot() -> [String: RangeTracker] { trackers }
    func restore(_ saved: [String: RangeTracker]) { trackers = saved }

    /// Quantises the GNN's 2-D weights (names under `graph.`) to int8 from their current values.
    func quantizeWeights<S>(_ weights: ParameterStore<S>) {
        for id in weights.ids where weights.name(id).hasPrefix("graph.") && weights[id].rank == 2 { weights.quantize(id) }
    }

    /// Starts a graph: draws its protected nodes (training), by in-degree over all four operators.
    func begin<S>(_ t: GraphTensors<S>) {
        guard training else { protected = nil; return }
        var degrees = [Int](repeating: 0, count: t.nodes)
        for op in t.operators {
            for v in 0..<t.nodes { degrees[v] += Int(op.rowPointers[v + 1] - op.rowPointers[v]) }
        }
        protected = DegreeMask.draw(DegreeMask.probabilities(inDegrees: degrees, low: settings.low, high: settings.high), rng: &rng)
    }

    /// Fake-quantises `x` (rows = graph nodes) at `site`.
    func quantize<S>(_ g: Tape<S>, _ x: Value, site: String) -> Value {
        let rows = g.shape(x)[0]
        if training {
            var t = trackers[site] ?? RangeTracker(momentum: settings.momentum, percentile: settings.percentile)
            t.update(sample(g.value(x).data))
            trackers[site] = t
        }
        guard let t = trackers[site], t.initialised else { return x }
        let params = QuantParams(min: t.min, max: t.max, bits: settings.bits)
        let mask = training && protected?.count == rows ? protected : nil
        return g.fakeQuantize(x, params, gradient: settings.gradient, protect: mask)
    }

    /// At most 4096 values of a large tensor for the percentile (the reference's optional
    /// sub-sampling; tensors under 1000 values are used whole), picked by a fixed scattering.
    private func sample<S>(_ values: [S]) -> [S] {
        let n = values.count, limit = 4096
        guard n > limit else { return values }
        return (0..<limit).map { values[Int((UInt64($0) &* 2_654_435_761) % UInt64(n))] }
    }
}

/// The Degree-Quant state of the GNN pass being run (nil: plain float).
enum DegreeQuantContext {
    @TaskLocal static var current: DegreeQuantState?
}
