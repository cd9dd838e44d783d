import Flows
import Foundation
import Testing
@testable import QoRModel

/// The kernel path of sequence-model prediction (C kernels, prefix trie, blocks on workers)
/// predicts what the taped path predicts, on the shipped default model.
@Suite struct FastInferenceTests {
    /// 200 random 20-step flows, every prefix of ten of them, and for twenty of them variants that
    /// change only the last 1-8 steps (shared prefixes of every length), and the empty flow.
    func flows() -> [Flow] {
        let base = Flow.distinctRandom(count: 200, length: 20, seed: 11)
        var out = base
        for f in base.prefix(10) { for n in 1..<20 { out.append(Flow(Array(f.steps.prefix(n)))) } }
        let steps = Transformation.standard
        for (i, f) in base.prefix(20).enumerated() {
            let keep = 12 + i % 8
            out.append(Flow(Array(f.steps.prefix(keep)) + f.steps.suffix(20 - keep).reversed()))
            out.append(Flow(Array(f.steps.prefix(keep)) + [steps[i % steps.count]]))
        }
        out.append(Flow([]))
        return out
    }

    func predictions(_ m: QoRPredictor, fast: Bool, share: Bool = true, threads: Int = 0, batch: Int = 4096) throws -> [QoRPrediction] {
        let inference = try #require(m.inference as? SequenceInference)
        inference.fastKernels = fast
        inference.sharePrefixes = share
        m.threads = threads
        m.batchSize = batch
        m.clearCache()
        defer {
            inference.fastKernels = true
            inference.sharePrefixes = true
        }
        return try m.predict(sample("mult_8", try ownDesign("mult_8")), flows: flows())
    }

    @Test func kernelPathEqualsTheTapedPathOnTheDefaultModel() throws {
        let m = try QoRPredictor(checkpoint: "\(repositoryRoot)/db/default.safetensors")
        let taped = try predictions(m, fast: false), fast = try predictions(m, fast: true)
        #expect(fast.count == flows().count)
        for (i, (a, b)) in zip(fast, taped).enumerated() {
            #expect(abs(a.delay - b.delay) <= 1e-5 * abs(b.delay) && abs(a.area - b.area) <= 1e-5 * abs(b.area), "flow \(i): \(a) vs \(b)")
        }
        // Sharing prefixes, the block split (a batch of 97 cuts the sorted flows elsewhere) and
        // the worker count change which rows go through a kernel together, never a row's arithmetic.
        #expect(try predictions(m, fast: true, share: false) == fast)
        #expect(try predictions(m, fast: true, threads: 1, batch: 97) == fast)
        // The flows differ: the predictions do too.
        #expect(Set(fast.map(\.delay)).count > 200)
    }

    @Test func sortingPutsSharedPrefixesNextToEachOther() {
        let batch = TokenBatch([[3, 1, 2], [1, 2], [3, 1], [1, 2, 5], [], [1, 1]])
        #expect(SequenceInference.sorted(batch) == [4, 5, 1, 3, 2, 0])
    }
}
