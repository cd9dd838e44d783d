/// What one optimiser step did, with where it stands in its epoch: enough for a progress line
/// within an epoch (an epoch on large data takes minutes).
public struct StepReport: Sendable {
    /// Epoch of the step (from 1), the step within it (from 1) and the epoch's step count.
    public var epoch: Int
    public var step: Int
    public var steps: Int
    /// Steps done over the whole run (from 1) and the run's planned total.
    public var done: Int
    public var total: Int
    /// Training rows (labels) of this step, and of the epoch so far.
    public var rows: Int
    public var epochRows: Int
    /// This step's loss, and the mean over the epoch's steps so far.
    public var loss: Double
    public var runningLoss: Double

    public init(epoch: Int, step: Int, steps: Int, done: Int, total: Int, rows: Int, epochRows: Int, loss: Double, runningLoss: Double) {
        (self.epoch, self.step, self.steps, self.done, self.total) = (epoch, step, steps, done, total)
        (self.rows, self.epochRows, self.loss, self.runningLoss) = (rows, epochRows, loss, runningLoss)
    }
}
