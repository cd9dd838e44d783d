import Foundation

/// A linear axis over a data range with "nice" ticks (1, 2 or 5 × 10^k apart).
struct PlotAxis {
    let low: Double
    let high: Double
    let ticks: [Double]
    /// Decimals that tell the ticks apart.
    let decimals: Int

    /// An axis covering `values`, widened by `padding` of the range on each side (a constant range
    /// is widened to ±1% of its value, or ±1 at zero).
    init(covering values: [Double], padding: Double = 0.05, count: Int = 5, minimumStep: Double = 0) {
        var lo = values.min() ?? 0
        var hi = values.max() ?? 1
        if hi - lo <= 0 {
            let pad = lo == 0 ? 1 : abs(lo) * 0.01
            lo -= pad
            hi += pad
        } else {
            let pad = (hi - lo) * padding
            lo -= pad
            hi += pad
        }
        let step = max(minimumStep, Self.niceStep((hi - lo) / Double(count)))
        var ticks: [Double] = []
        var t = (lo / step).rounded(.up) * step
        while t <= hi + step * 1e-9 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        low = lo
        high = hi
        self.ticks = ticks
        decimals = max(0, -Int(log10(step).rounded(.down)))
    }

    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, log10(raw).rounded(.down))
        let m = raw / magnitude
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * magnitude
    }

    /// Maps a value onto [from, to] (pixels).
    func position(_ v: Double, from: Double, to: Double) -> Double {
        from + (v - low) / (high - low) * (to - from)
    }

    func label(_ v: Double) -> String { String(format: "%.\(decimals)f", v) }
}
