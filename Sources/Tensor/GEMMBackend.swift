import Foundation

/// Which library runs the Float matrix products. oneDNN's sgemm took half the CPU time of this
/// machine's OpenBLAS (pinned to its AVX2 kernels) on every training shape measured, one thread
/// each (issue 14); OpenBLAS stays the reference, and `QOR_GEMM=openblas` selects it for a run
/// (to compare the two in one binary). Double products (gradient checks) always use OpenBLAS.
public enum GEMMBackend: String, Sendable, CaseIterable {
    case onednn, openblas

    /// From `QOR_GEMM` (read once); oneDNN unless it names OpenBLAS.
    public static let current: GEMMBackend = ProcessInfo.processInfo.environment["QOR_GEMM"].flatMap { GEMMBackend(rawValue: $0.lowercased()) } ?? .onednn
}
