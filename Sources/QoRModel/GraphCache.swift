import Foundation
import Netlist

/// Learning graphs by content hash of their AIG: each design is featurised once per process,
/// however many times training, prediction or ranking asks for it.
public final class GraphCache: @unchecked Sendable {
    private var graphs: [String: AigGraph] = [:]
    private let lock = NSLock()

    public init() {}

    /// The graph of `aig`, built on first use under the key `aig.contentHash`.
    public func graph(of aig: Aig) -> AigGraph {
        graph(hash: aig.contentHash) { AigGraph(aig) }
    }

    /// The graph stored under `hash`, built by `make` when absent.
    public func graph(hash: String, _ make: () -> AigGraph) -> AigGraph {
        lock.lock()
        if let g = graphs[hash] {
            lock.unlock()
            return g
        }
        lock.unlock()
        let g = make()
        lock.lock()
        graphs[hash] = g
        lock.unlock()
        return g
    }

    /// Number of graphs held.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return graphs.count
    }
}
