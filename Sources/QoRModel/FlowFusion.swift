/// The fusion MLP of one design as the inference kernels run it on a block of flow vectors: float
/// (`FastFusion`) or int8 (`Int8DesignFusion`), on `SequenceInference`'s parallel blocks.
protocol FlowFusion: Sendable {
    /// Width of a flow vector.
    var input: Int { get }
    /// Effects per flow.
    var outputs: Int { get }
    /// Effects `[n, outputs]` of `n` flow vectors `[n, input]` into `out` (row stride = outputs).
    func run(rows n: Int, flows: UnsafePointer<Float>, workspace: LSTMWorkspace, into out: UnsafeMutablePointer<Float>)
}
