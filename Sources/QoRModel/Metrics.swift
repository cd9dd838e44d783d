/// Error and ranking metrics for predictions against the truth.
public enum Metrics {
    /// Mean absolute percentage error, in percent. Pairs whose truth is zero are skipped.
    public static func mape(predicted: [Double], truth: [Double]) -> Double {
        var sum = 0.0
        var n = 0
        for (p, t) in zip(predicted, truth) where t != 0 {
            sum += abs(p - t) / abs(t)
            n += 1
        }
        return n == 0 ? .nan : 100 * sum / Double(n)
    }

    /// Ranks starting at 1, ties sharing their mean rank.
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var rank = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let mean = Double(i + j) / 2 + 1
            for k in i...j { rank[order[k]] = mean }
            i = j + 1
        }
        return rank
    }

    /// Pearson correlation; NaN when either side is constant.
    public static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        guard a.count == b.count, a.count > 1 else { return .nan }
        let ma = a.reduce(0, +) / n
        let mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) {
            sab += (x - ma) * (y - mb)
            saa += (x - ma) * (x - ma)
            sbb += (y - mb) * (y - mb)
        }
        return saa == 0 || sbb == 0 ? .nan : sab / (saa * sbb).squareRoot()
    }

    /// Spearman's rank correlation (Pearson on tie-averaged ranks).
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        pearson(ranks(a), ranks(b))
    }

    /// Kendall's tau-b, which accounts for ties on either side.
    public static func kendall(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, a.count > 1 else { return .nan }
        var concordant = 0.0, discordant = 0.0, tiesA = 0.0, tiesB = 0.0
        for i in 0..<a.count {
            for j in (i + 1)..<a.count {
                let da = a[i] - a[j]
                let db = b[i] - b[j]
                if da == 0 && db == 0 { continue }
                if da == 0 { tiesA += 1 } else if db == 0 { tiesB += 1 } else if (da > 0) == (db > 0) {
                    concordant += 1
                } else {
                    discordant += 1
                }
            }
        }
        let denominator = ((concordant + discordant + tiesA) * (concordant + discordant + tiesB)).squareRoot()
        return denominator == 0 ? .nan : (concordant - discordant) / denominator
    }

    /// Of the truly best `fraction` of items (smallest truth), the share that the prediction puts
    /// among its own best `fraction`: with k = max(1, round(n * fraction)), the truly best are all
    /// items whose truth is at most the k-th smallest (so ties in the truth do not depend on record
    /// order), the prediction's choice is its k smallest (ties broken by order); recall = hits / k.
    public static func topRecall(predicted: [Double], truth: [Double], fraction: Double = 0.1) -> Double {
        guard !truth.isEmpty, predicted.count == truth.count else { return .nan }
        let k = topCount(truth.count, fraction)
        let threshold = truth.sorted()[k - 1]
        let chosen = predicted.indices.sorted { (predicted[$0], $0) < (predicted[$1], $1) }.prefix(k)
        return Double(chosen.filter { truth[$0] <= threshold }.count) / Double(k)
    }

    /// The top-`fraction` recall a random order scores on average.
    public static func randomTopRecall(truth: [Double], fraction: Double = 0.1) -> Double {
        guard !truth.isEmpty else { return .nan }
        let threshold = truth.sorted()[topCount(truth.count, fraction) - 1]
        return Double(truth.filter { $0 <= threshold }.count) / Double(truth.count)
    }

    static func topCount(_ n: Int, _ fraction: Double) -> Int { max(1, Int((Double(n) * fraction).rounded())) }

    /// The median; NaN for an empty array.
    public static func median(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        let s = x.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
