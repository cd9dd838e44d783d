/// The benchmark's figures: per design and arm the mean gap to resyn2 over seeds, and over designs
/// the mean gap, how many designs beat resyn2, the improvement over random search in points, and
/// the share of wall time spent outside ABC.
public struct BenchmarkSummary: Sendable {
    public struct DesignRow: Sendable {
        public var design: String
        public var resyn2: Double
        public var compress2rs: Double
        /// arm -> mean gap to resyn2 over seeds (percent), and the per-seed gaps.
        public var meanGap: [String: Double]
        public var gaps: [String: [Double]]
    }

    public var rows: [DesignRow]
    /// arm -> mean over designs of the mean gap to resyn2.
    public var meanGap: [String: Double]
    /// arm -> designs whose mean best beats resyn2.
    public var beatsResyn2: [String: Int]
    /// arm -> mean over designs of (random's gap − the arm's gap), in points.
    public var improvementOverRandom: [String: Double]
    /// arm -> (wall − ABC wall) / wall, over all its searches.
    public var outsideABC: [String: Double]

    public init(_ runs: [SearchBenchmark.Run]) {
        var designs: [String] = []
        for r in runs where !designs.contains(r.design) { designs.append(r.design) }
        let arms = SearchBenchmark.arms.map(\.name).filter { a in runs.contains { $0.arm == a } }
        func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }
        rows = designs.map { d in
            let mine = runs.filter { $0.design == d }
            var gaps: [String: [Double]] = [:]
            for a in arms { gaps[a] = mine.filter { $0.arm == a }.map(\.gapToResyn2) }
            return DesignRow(design: d, resyn2: mine.first?.resyn2 ?? .nan, compress2rs: mine.first?.compress2rs ?? .nan,
                             meanGap: gaps.mapValues(mean), gaps: gaps)
        }
        var meanGap: [String: Double] = [:], beats: [String: Int] = [:], improvement: [String: Double] = [:], outside: [String: Double] = [:]
        for a in arms {
            meanGap[a] = mean(rows.compactMap { $0.meanGap[a] })
            beats[a] = rows.filter { ($0.meanGap[a] ?? 0) < 0 }.count
            improvement[a] = mean(rows.compactMap { r in r.meanGap["random"].flatMap { rnd in r.meanGap[a].map { rnd - $0 } } })
            let mine = runs.filter { $0.arm == a }
            let wall = mine.reduce(0) { $0 + $1.seconds }, abc = mine.reduce(0) { $0 + $1.abcSeconds }
            outside[a] = wall > 0 ? (wall - abc) / wall : .nan
        }
        self.meanGap = meanGap
        beatsResyn2 = beats
        improvementOverRandom = improvement
        outsideABC = outside
    }
}
