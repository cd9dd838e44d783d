import Foundation
import QoRModel
import Store

extension IntervalFit {
    /// Fits the intervals of the checkpoint at `model` on the database `openStore` opens, and writes them into its config
    /// (weights unchanged, the file replaced atomically); returns the line that reports them.
    public func write(into model: String, openStore: () throws -> Store, progress: (Int, Int) -> Void = { _, _ in }) throws -> String {
        let predictor = try QoRPredictor(checkpoint: model)
        let intervals = try fit(predictor, store: try openStore(), progress: progress)
        var config = predictor.config
        config.intervals = intervals
        try predictor.save(to: model, config: config)
        func band(_ b: LogBand?) -> String {
            guard let b else { return "too few predictions" }
            return String(format: "delay x/÷ %.3f, area x/÷ %.3f", exp(b.delay), exp(b.area))
        }
        var anchored = band(intervals.anchored)
        if let a = intervals.anchored, let o = intervals.spreadOffset {
            anchored = String(format: "log half-width %.3f (delay) and %.3f (area) times the design's anchor spread plus %.4f and %.4f "
                              + "(at the median spread: delay x/÷ %.3f, area x/÷ %.3f)", a.delay, a.area, o.delay, o.area, exp(2 * a.delay * o.delay), exp(2 * a.area * o.area))
        }
        return String(format: "%@: %.0f%% intervals from %d designs it never saw (%d anchored predictions): anchored %@; without anchor %@",
                      model, 100 * coverage, intervals.designs, intervals.predictions, anchored, band(intervals.unanchored))
    }
}
