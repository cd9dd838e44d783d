import Foundation
import QoRModel

/// Progress within a training epoch (an epoch on large data takes minutes): one line on stderr
/// every `interval` seconds (0: every step) with the epoch, steps done of its total, training rows
/// per second, the running loss of the epoch and the epoch's ETA. Lines, not a redrawn bar, so a
/// log file shows them too; nothing with `quiet`.
final class TrainProgress {
    private let interval: Double
    private let quiet: Bool
    private var epochStart = Date()
    private var lastLine = Date()
    /// The epoch's first step (its time and rows): rates are measured from there, so that the
    /// work before the first step (the base fit, graph tensors) does not count as slow steps.
    private var first: (time: Date, rows: Int)?

    init(interval: Double, quiet: Bool) {
        self.interval = interval
        self.quiet = quiet
    }

    /// Called after every optimiser step.
    func step(_ r: StepReport) {
        let now = Date()
        if r.step == 1 { first = (now, r.epochRows) }
        guard !quiet, interval == 0 || now.timeIntervalSince(lastLine) >= interval else { return }
        lastLine = now
        var rows = r.epochRows, steps = r.step, elapsed = now.timeIntervalSince(epochStart)
        if let first, r.step > 1 {
            (rows, steps, elapsed) = (r.epochRows - first.rows, r.step - 1, now.timeIntervalSince(first.time))
        }
        FileHandle.standardError.write(Data("qor: \(Self.line(r, rows: rows, steps: steps, seconds: elapsed))\n".utf8))
    }

    /// Called when an epoch ends (after its validation): the next epoch's clock starts.
    func epochEnded() {
        epochStart = Date()
        lastLine = epochStart
    }

    /// `epoch 2: step 120/480, 1534 rows/s, loss 0.2314, ETA 3:05`, from `rows` trained in `steps`
    /// steps over `seconds`.
    static func line(_ r: StepReport, rows: Int, steps: Int, seconds: Double) -> String {
        let rate = seconds > 0 ? Double(rows) / seconds : 0
        let eta = steps > 0 ? seconds / Double(steps) * Double(r.steps - r.step) : 0
        return String(format: "epoch %d: step %d/%d, %.0f rows/s, loss %.4f, ETA %@", r.epoch, r.step, r.steps, rate, r.runningLoss,
                      Progress.clock(eta))
    }
}
