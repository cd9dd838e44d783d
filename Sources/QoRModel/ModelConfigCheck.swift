import Flows

/// Checks a model config read from disk before any network is built from it: a count that is
/// not positive and bounded would trap or exhaust memory when the parameters are allocated, and a
/// scale that is not finite and positive would turn every prediction into inf or NaN.
extension ModelConfig {
    /// Largest width of any layer, and most layers or heads, a config may ask for.
    static let maxWidth = 65_536, maxLayers = 256

    /// Throws ``ModelError/Kind/badCheckpoint`` naming `file` and the first bad field.
    public func validate(file: String) throws(ModelError) {
        func bad(_ field: String, _ message: String) -> ModelError {
            ModelError(.badCheckpoint, "\(file): \(field): \(message)")
        }
        // Version 4 nests the family's fields under `network`; version 3 kept them flat.
        let prefix = format == "qor-model/3" ? "architecture." : "architecture.network."
        let network = architecture.network
        for (name, value, limit) in network.sizes where !(1...limit).contains(value) {
            throw bad(prefix + name, "expected an integer in 1...\(limit), found \(value)")
        }
        if let (field, message) = network.inconsistency { throw bad(prefix + field, message) }
        guard (1...Flow.maxSteps).contains(vocabulary.maxSteps) else {
            throw bad("vocabulary.maxSteps", "expected an integer in 1...\(Flow.maxSteps), found \(vocabulary.maxSteps)")
        }
        guard !vocabulary.steps.isEmpty, vocabulary.steps.count <= 10_000, Set(vocabulary.steps).count == vocabulary.steps.count else {
            throw bad("vocabulary.steps", "expected 1...10000 distinct transformations, found \(vocabulary.steps.count)")
        }
        // Standardised log-ratios: a mean far from 0 or a deviation far from 1 cannot come from training.
        let s = scaling
        for (name, value) in [("delayMean", s.delayMean), ("areaMean", s.areaMean)] where !(value.isFinite && abs(value) <= 1e3) {
            throw bad("scaling.\(name)", "expected a finite number in -1000...1000, found \(value)")
        }
        for (name, value) in [
            ("delayStd", s.delayStd), ("areaStd", s.areaStd), ("delaySpread", s.delaySpread), ("areaSpread", s.areaSpread),
        ] where !(value.isFinite && value > 0 && value <= 1e3) {
            throw bad("scaling.\(name)", "expected a finite number > 0 and <= 1000, found \(value)")
        }
        for (name, rows) in [("levelRidge", levelRidge), ("flowRidge", flowRidge)] {
            guard rows.count == 2 else { throw bad(name, "expected 2 rows (delay, area), found \(rows.count)") }
            guard rows.allSatisfy({ $0.count <= 10_000 && $0.allSatisfy(\.isFinite) }) else {
                throw bad(name, "expected finite coefficients")
            }
        }
        for (i, d) in knownDesigns.enumerated() where !(d.delay + d.area).allSatisfy(\.isFinite) {
            throw bad("knownDesigns[\(i)]", "expected finite coefficients")
        }
        if let i = intervals {
            if let n = i.anchors, n < 1 { throw bad("intervals.anchors", "expected at least 1, found \(n)") }
            guard i.coverage > 0 && i.coverage < 1 else { throw bad("intervals.coverage", "expected a number in (0, 1), found \(i.coverage)") }
            for band in [i.anchored, i.unanchored, i.spreadOffset].compactMap({ $0 }) where !(band.delay.isFinite && band.delay >= 0 && band.area.isFinite && band.area >= 0) {
                throw bad("intervals", "expected finite half-widths >= 0")
            }
        }
        if let r = designRange {
            let n = DesignRange.names.count
            guard r.low.count == n, r.high.count == n, zip(r.low, r.high).allSatisfy({ $0.isFinite && $1.isFinite && $0 <= $1 }) else {
                throw bad("designRange", "expected \(n) finite low <= high pairs")
            }
            if let g = r.neighbours {
                let width = DesignRange.names.count
                guard g.names.count == g.points.count, g.k >= 1, g.k < g.points.count, g.threshold.isFinite, g.threshold >= 0,
                      g.mean.count == width, g.scale.count == width, g.scale.allSatisfy({ $0.isFinite && $0 > 0 }),
                      g.points.allSatisfy({ $0.count == width && $0.allSatisfy(\.isFinite) })
                else { throw bad("designRange.neighbours", "expected \(width) finite features per named point, 1 <= k < points, finite scales > 0") }
            }
        }
    }
}
