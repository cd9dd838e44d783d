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

    init(interval: Double, quiet: Bool) {
        self.interval = interval
        self.quiet = quiet
    }

    /// Called after every optimiser step.
    func step(_ r: StepReport) {
        guard !quiet else { return }
        let now = Date()
        guard interval == 0 || now.timeIntervalSince(lastLine) >= interval else { return }
        lastLine = now
        FileHandle.standardError.write(Data("qor: \(Self.line(r, elapsed: now.timeIntervalSince(epochStart)))\n".utf8))
    }

    /// Called when an epoch ends (after its validation): the next epoch's clock starts.
    func epochEnded() {
        epochStart = Date()
        lastLine = epochStart
    }

    /// `epoch 2: step 120/480, 1534 rows/s, loss 0.2314, ETA 3:05`.
    static func line(_ r: StepReport, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(r.epochRows) / elapsed : 0
        let perStep = r.step > 0 ? elapsed / Double(r.step) : 0
        let eta = perStep * Double(r.steps - r.step)
        return String(format: "epoch %d: step %d/%d, %.0f rows/s, loss %.4f, ETA %@", r.epoch, r.step, r.steps, rate, r.runningLoss,
                      Progress.clock(eta))
    }
}
