import Tensor

/// One design's flows in a forward pass: the design's graph tensors, its row of the design memory
/// (0: presented as unseen) and how many consecutive flows of the batch are its.
struct DesignGroup<S: TensorScalar> {
    let tensors: GraphTensors<S>
    let memory: Int32
    let flows: Int
}

/// What a network computes for a batch of flows, as tape values.
struct NetworkOutput {
    /// Which rows the level output has.
    enum LevelRows { case perDesign, perFlow }
    /// Each flow's effect on the standardised (delay, area), `[flows, 2]`, in units of the spread.
    let effect: Value
    /// The predicted level correction (see `BaseModel`): `[groups, 2]` or `[flows, 2]`.
    let level: Value
    let levelRows: LevelRows
    /// A term the trainer adds to the loss (a balance or distillation term); nil for none.
    let auxiliary: Value?
    /// The representation the effect head reads, `[flows, width]`, for objectives that attach
    /// heads of their own to it (MV2D's observation view); nil when the family exposes none.
    var features: Value? = nil
}

/// How a network wants its flows grouped.
struct NetworkBatching: Sendable {
    /// Designs per training step; nil: as many as the training options say.
    var designsPerStep: Int?
    /// Flows of one design per forward pass, given the design's node count; nil: no limit.
    var flowsPerPass: @Sendable (_ nodes: Int) -> Int? = { _ in nil }
    /// Whether the tape's buffer pool is dropped after every step (passes whose sizes differ by
    /// design would otherwise keep every size).
    var releasesMemory = false
}

/// A model family's network. `forward` is the one entry training, gradient checks and (by default)
/// prediction use; a family whose prediction can reuse work across calls (the sequence model's
/// per-design context, its tape-free LSTM) returns its own ``NetworkInference``.
protocol QoRNetwork: Sendable {
    var batching: NetworkBatching { get }
    /// The outputs for `groups` (consecutive rows of `tokens` each), on a tape over weights of any precision.
    func forward<S: TensorScalar>(_ g: Tape<S>, _ groups: [DesignGroup<S>], tokens: TokenBatch) -> NetworkOutput
    /// Prediction state over `weights` (which hold this network's parameters).
    func inference(weights: ParameterStore<Float>) -> any NetworkInference
    /// Called once before training's first step, with the run's options and step count (schedules: expert pruning).
    func startTraining(_ options: TrainingOptions, steps: Int)
    /// Called after each optimiser step (`done` counts from 1): resamples expert dropout, prunes experts.
    func didStep(_ done: Int)
    /// Whether the current weights may be kept as the best so far (false while a schedule, such as
    /// expert pruning, has not reached its final architecture).
    var settled: Bool { get }
}

/// Prediction with a network: effects and levels of flows on one design, batch by batch, with no
/// gradients. Holds what it caches between calls; ``clearCache()`` after the weights change.
protocol NetworkInference: AnyObject {
    /// Calls `emit` with the effect `[b, 2]`, the level (`[1, 2]` for the whole design or `[b, 2]`)
    /// and the tokens of each batch of flows, in order.
    func run(_ g: Tape<Float>, _ design: DesignInput, tokens: [[Int32]], batchSize: Int,
             emit: (_ effect: Tensor<Float>, _ level: Tensor<Float>, _ batch: TokenBatch) -> Void)
    func clearCache()
    /// Worker threads for a batch (0: one per core), where the inference runs its own workers.
    var threads: Int { get set }
}

/// A design to predict for: its graph and statistics, memory row and cache keys (the context's:
/// content hash, with the row when it is not the design's own; the graph's: content hash).
/// The graph tensors (sparse operators with their transposes) are built on first use only, so a
/// tape-free inference that reads the graph directly never holds them.
struct DesignInput {
    let graph: AigGraph
    let stats: DesignStats
    let memory: Int32
    let key: String
    let graphKey: String
    let makeTensors: () -> GraphTensors<Float>

    var tensors: GraphTensors<Float> { makeTensors() }
}

extension QoRNetwork {
    func inference(weights: ParameterStore<Float>) -> any NetworkInference { TapedInference(network: self) }
    func startTraining(_ options: TrainingOptions, steps: Int) {}
    func didStep(_ done: Int) {}
    var settled: Bool { true }
}

/// Prediction by `forward` on batches of one design's flows, the default of every family.
final class TapedInference<N: QoRNetwork>: NetworkInference {
    let network: N
    var threads = 0
    init(network: N) { self.network = network }

    func run(_ g: Tape<Float>, _ design: DesignInput, tokens: [[Int32]], batchSize: Int,
             emit: (Tensor<Float>, Tensor<Float>, TokenBatch) -> Void) {
        let per = network.batching.flowsPerPass(design.tensors.nodes) ?? batchSize
        for start in stride(from: 0, to: tokens.count, by: per) {
            let batch = TokenBatch(Array(tokens[start..<min(tokens.count, start + per)]))
            let y = network.forward(g, [DesignGroup(tensors: design.tensors, memory: design.memory, flows: batch.count)], tokens: batch)
            emit(g.value(y.effect), g.value(y.level), batch)
            g.reset()
        }
        if network.batching.releasesMemory { g.releaseMemory() }
    }

    func clearCache() {}
}
