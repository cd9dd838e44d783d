/// A ``BaseModel`` fitted to training labels, with what the training loop needs from the fit:
/// each training label's base as seen and as unseen, and the level head's targets.
struct BaseFit {
    let model: BaseModel
    /// Pooled within-design standard deviation of the standardised targets: the spread.
    let spread: (Float, Float)
    /// Each training design's mean standardised targets.
    let levels: [Int: (Float, Float)]
    /// What the level head should add to the statistics ridge: each design's mean less that ridge's level.
    let levelCorrections: [Int: (Float, Float)]
    /// Each training label's base with its design presented as known (its design's ridge on the flow)
    /// and as unseen (its design's mean plus the pooled ridge on the flow).
    let knownBases: [Int: (Float, Float)]
    let unseenBases: [Int: (Float, Float)]

    /// Fits the bases on the training rows `byDesign` (design -> rows of `set`), choosing penalties
    /// on the `validation` rows; `targets` are every row's standardised targets, `summaries` every
    /// flow's summary.
    init(_ set: TrainingSet, byDesign: [Int: [Int]], validation: [Int], targets: [(Float, Float)], summaries: [[Float]]) {
        spread = Self.withinDesignSpread(byDesign, targets)
        let known = byDesign.keys.sorted()
        let ridges = Self.designRidges(byDesign, validation: validation, set: set, targets: targets, summaries: summaries)
        var levels: [Int: (Float, Float)] = [:]
        for d in known {
            let rows = byDesign[d] ?? []
            levels[d] = (rows.reduce(0) { $0 + targets[$1].0 } / Float(rows.count), rows.reduce(0) { $0 + targets[$1].1 } / Float(rows.count))
        }
        self.levels = levels
        let levelRidge = Self.statsRidges(known, levels: levels, set: set)
        let flowRidge = Self.pooledFlowRidge(byDesign, levels: levels, validation: validation, set: set, targets: targets, summaries: summaries)
        let knownDesigns = known.map { KnownDesign(hash: set.designs[$0].hash, delay: ridges[$0]?.0 ?? [0], area: ridges[$0]?.1 ?? [0]) }
        model = BaseModel(knownDesigns: knownDesigns, levelRidge: levelRidge, flowRidge: flowRidge)
        let knownByDesign = Dictionary(uniqueKeysWithValues: zip(known, knownDesigns))
        var corrections: [Int: (Float, Float)] = [:]
        for d in known {
            let s = model.statisticsLevel(set.designs[d].stats), m = levels[d] ?? (0, 0)
            corrections[d] = (m.0 - s.0, m.1 - s.1)
        }
        levelCorrections = corrections
        var knownBases: [Int: (Float, Float)] = [:], unseenBases: [Int: (Float, Float)] = [:]
        for (d, rows) in byDesign {
            let m = levels[d] ?? (0, 0)
            for r in rows {
                let x = summaries[set.examples[r].flow]
                if let k = knownByDesign[d] { knownBases[r] = BaseModel.knownBase(k, summary: x) }
                unseenBases[r] = model.unseenBase(level: m, summary: x)
            }
        }
        self.knownBases = knownBases
        self.unseenBases = unseenBases
    }

    /// Pooled standard deviation of the standardised targets around each design's mean.
    static func withinDesignSpread(_ byDesign: [Int: [Int]], _ y: [(Float, Float)]) -> (Float, Float) {
        var s0 = 0.0, s1 = 0.0, n = 0
        for rows in byDesign.values where rows.count >= 2 {
            let m0 = rows.reduce(0.0) { $0 + Double(y[$1].0) } / Double(rows.count)
            let m1 = rows.reduce(0.0) { $0 + Double(y[$1].1) } / Double(rows.count)
            for r in rows {
                s0 += (Double(y[r].0) - m0) * (Double(y[r].0) - m0)
                s1 += (Double(y[r].1) - m1) * (Double(y[r].1) - m1)
            }
            n += rows.count
        }
        guard n > 0 else { return (1, 1) }
        return (Float(max((s0 / Double(n)).squareRoot(), 1e-3)), Float(max((s1 / Double(n)).squareRoot(), 1e-3)))
    }

    /// Each training design's ridge regressions (delay, area) on the flow summary. The penalty is
    /// the one of 1, 10, 100, 1000 with the least squared error on the validation labels of these
    /// designs (10 when there are none, as with held-out designs).
    static func designRidges(_ byDesign: [Int: [Int]], validation: [Int], set: TrainingSet, targets: [(Float, Float)],
                             summaries: [[Float]]) -> [Int: ([Double], [Double])] {
        let scale = DesignRidge.scales(byDesign.values.flatMap { $0.map { summaries[set.examples[$0].flow] } })
        func fits(_ lambda: Double) -> [Int: ([Double], [Double])] {
            var out: [Int: ([Double], [Double])] = [:]
            for (d, rows) in byDesign {
                let x = rows.map { summaries[set.examples[$0].flow] }
                out[d] = (DesignRidge.fit(x, rows.map { Double(targets[$0].0) }, scale: scale, lambda: lambda),
                          DesignRidge.fit(x, rows.map { Double(targets[$0].1) }, scale: scale, lambda: lambda))
            }
            return out
        }
        let checked = validation.filter { byDesign[set.examples[$0].design] != nil }
        guard !checked.isEmpty else { return fits(10) }
        var best: (Double, [Int: ([Double], [Double])])?
        for lambda in [1.0, 10, 100, 1000] {
            let f = fits(lambda)
            var error = 0.0
            for r in checked {
                guard let fit = f[set.examples[r].design] else { continue }
                let x = summaries[set.examples[r].flow]
                let e0 = DesignRidge.apply(fit.0, x) - Double(targets[r].0), e1 = DesignRidge.apply(fit.1, x) - Double(targets[r].1)
                error += e0 * e0 + e1 * e1
            }
            if best == nil || error < (best?.0 ?? 0) { best = (error, f) }
        }
        return best?.1 ?? fits(10)
    }

    /// Ridge regressions (delay, area) of every training label's distance from its design's mean on
    /// the flow summary: what flows do to a design in general, the flow effect of a design not seen
    /// in training. The penalty is the one of 1, 10, ..., 10^4 that best predicts, on the
    /// validation labels, each label's distance from its design's validation mean.
    static func pooledFlowRidge(_ byDesign: [Int: [Int]], levels: [Int: (Float, Float)], validation: [Int], set: TrainingSet,
                                targets: [(Float, Float)], summaries: [[Float]]) -> [[Double]] {
        let rows = byDesign.keys.sorted().flatMap { byDesign[$0] ?? [] }
        let x = rows.map { summaries[set.examples[$0].flow] }
        let scale = DesignRidge.scales(x)
        func deviation(_ r: Int, _ m: (Float, Float)) -> (Double, Double) { (Double(targets[r].0 - m.0), Double(targets[r].1 - m.1)) }
        let y = rows.map { deviation($0, levels[set.examples[$0].design] ?? (0, 0)) }
        func fit(_ lambda: Double) -> [[Double]] {
            [DesignRidge.fit(x, y.map(\.0), scale: scale, lambda: lambda), DesignRidge.fit(x, y.map(\.1), scale: scale, lambda: lambda)]
        }
        var byValidationDesign: [Int: [Int]] = [:]
        for r in validation { byValidationDesign[set.examples[r].design, default: []].append(r) }
        var best: (error: Double, fit: [[Double]])?
        for lambda in [1.0, 10, 100, 1000, 10_000] {
            let f = fit(lambda)
            var error = 0.0
            for group in byValidationDesign.values where group.count >= 2 {
                let p = group.map { r in (DesignRidge.apply(f[0], summaries[set.examples[r].flow]), DesignRidge.apply(f[1], summaries[set.examples[r].flow])) }
                let t = group.map { (Double(targets[$0].0), Double(targets[$0].1)) }
                let n = Double(group.count)
                let pm = (p.reduce(0) { $0 + $1.0 } / n, p.reduce(0) { $0 + $1.1 } / n)
                let tm = (t.reduce(0) { $0 + $1.0 } / n, t.reduce(0) { $0 + $1.1 } / n)
                for (a, b) in zip(p, t) {
                    let e0 = (a.0 - pm.0) - (b.0 - tm.0), e1 = (a.1 - pm.1) - (b.1 - tm.1)
                    error += e0 * e0 + e1 * e1
                }
            }
            if best == nil || error < (best?.error ?? 0) { best = (error, f) }
        }
        return best?.fit ?? fit(100)
    }

    /// Ridge regressions (delay, area) of the training designs' mean targets on their initial-AIG
    /// statistics and structure, with a penalty of 1 on standardised features.
    static func statsRidges(_ designs: [Int], levels: [Int: (Float, Float)], set: TrainingSet) -> [[Double]] {
        let x = designs.map { set.designs[$0].stats.levelFeatures }
        let scale = DesignRidge.scales(x)
        return [DesignRidge.fit(x, designs.map { Double(levels[$0]?.0 ?? 0) }, scale: scale, lambda: 1),
                DesignRidge.fit(x, designs.map { Double(levels[$0]?.1 ?? 0) }, scale: scale, lambda: 1)]
    }
}
