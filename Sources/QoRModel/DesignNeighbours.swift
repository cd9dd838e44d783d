import Foundation

/// The training designs as points (log counts and the two shares, standardised): a design whose
/// k-th nearest training design is farther than the 95% conformal quantile of the training designs'
/// own leave-one-out k-th neighbour distances is flagged, though each statistic may lie inside the
/// range — a new design exchangeable with the training ones is flagged with probability ≤ 5%.
/// On the seed designs as a test set, a box range let 3 of 4 pure-model errors over 50% through.
public struct DesignNeighbours: Sendable, Codable, Equatable {
    public var names: [String]
    /// Standardised points, rounded to 1e-4 (the threshold is computed on the rounded points).
    public var points: [[Double]]
    public var mean: [Double]
    public var scale: [Double]
    public var k: Int
    public var threshold: Double

    static let level = 0.95
    static let neighbours = 5

    /// Nil for fewer designs than the quantile needs (k + 1 per point, 1 / (1 − level) in all).
    public init?(names: [String], _ designs: [DesignStats]) {
        let raw = designs.map(Self.features)
        let n = raw.count, k = min(Self.neighbours, n - 1)
        let rank = Int((Double(n + 1) * Self.level).rounded(.up))
        guard k >= 1, rank <= n, let width = raw.first?.count else { return nil }
        let mean = (0..<width).map { j in raw.reduce(0) { $0 + $1[j] } / Double(n) }
        let scale = (0..<width).map { j -> Double in
            let v = raw.reduce(0) { $0 + ($1[j] - mean[j]) * ($1[j] - mean[j]) } / Double(n)
            return v > 1e-12 ? v.squareRoot() : 1
        }
        self.names = names
        self.mean = mean
        self.scale = scale
        self.k = k
        points = raw.map { x in (0..<width).map { j -> Double in
            let z: Double = (x[j] - mean[j]) / scale[j]
            return (z * 1e4).rounded() / 1e4
        } }
        threshold = 0
        let own = (0..<n).map { i in kthDistance(points[i], skipping: i).distance }
        threshold = own.sorted()[rank - 1]
    }

    /// ``DesignRange/statistics(_:)`` with the counts (the first four) as logs.
    static func features(_ s: DesignStats) -> [Double] {
        DesignRange.statistics(s).enumerated().map { $0.offset < DesignRange.countStatistics ? log1p($0.element) : $0.element }
    }

    /// The k-th smallest distance from `x` (standardised) to the points but `skipping`, and the
    /// indices of the points up to it, nearest first.
    func kthDistance(_ x: [Double], skipping: Int? = nil) -> (distance: Double, nearest: [Int]) {
        var d: [(Double, Int)] = []
        d.reserveCapacity(points.count)
        for (i, p) in points.enumerated() where i != skipping {
            var s = 0.0
            for j in 0..<min(p.count, x.count) { s += (p[j] - x[j]) * (p[j] - x[j]) }
            d.append((s.squareRoot(), i))
        }
        d.sort { $0.0 < $1.0 }
        let top = d.prefix(k)
        return (top.last?.0 ?? .infinity, top.map(\.1))
    }

    /// Why `design` is far from the training designs (one phrase), or nil when it is near enough.
    public func novelty(_ design: DesignStats) -> String? {
        let f = Self.features(design)
        let x = (0..<min(f.count, mean.count)).map { (f[$0] - mean[$0]) / scale[$0] }
        let (distance, nearest) = kthDistance(x)
        guard distance > threshold else { return nil }
        let ordinal = k == 1 ? "" : k == 2 ? "2nd " : k == 3 ? "3rd " : "\(k)th "
        return "far from the training designs: its \(ordinal)nearest at distance " + String(format: "%.2f", distance)
            + ", where \(Int(100 * Self.level))% of them have theirs within " + String(format: "%.2f", threshold)
            + " (nearest: \(nearest.prefix(3).map { names[$0] }.joined(separator: ", ")))"
    }
}
