import Flows
import Foundation
import Testing
@testable import QoRModel
@testable import Tensor

/// CHEX channel exploration (COMPRESSION.md §3.1): schedule, CSS, regrow, masks, MRU restore,
/// compaction to a narrower model, and its FLOPs.
@Suite struct ChexTests {
    let flows = ["b; rw; rf", "rwz; rfz; b; rs", "rsz; rsz; b", "rf; rw; b; b; rwz; rs", "b"].map { try! Flow.parse($0) }

    func model(seed: UInt64, network: SequenceConfig = tinySequence(hidden: 8)) -> QoRPredictor {
        let config = ModelConfig(
            architecture: Architecture(network),
            vocabulary: FlowVocabulary(flows: [try! Flow.parse("b; rw; rwz; rf; rfz; rs; rsz")], minimumSteps: 12),
            scaling: TargetScaling(delayMean: 0.3, delayStd: 0.2, areaMean: 0.1, areaStd: 0.3),
            fingerprint: "0123456789abcdef", library: "test", units: QoRUnits(delay: "ps", area: "um^2"))
        let m = QoRPredictor(config: config, seed: seed)
        var rng = SeededGenerator(seed: seed &+ 1)
        for id in m.weights.ids { m.weights[id] = .uniform(m.weights[id].shape, bound: 0.4, rng: &rng) }
        return m
    }

    @Test func scheduleFollowsTheCosineAndTheInterval() {
        let s = ChexSchedule(initialRegrow: 0.3, interval: 2, tMax: 180)
        #expect(abs(s.regrow(at: 90) - 0.15) < 1e-12)
        #expect(s.regrow(at: 180) == 0 && s.regrow(at: 0) == 0.3)
        #expect((0...250).filter { s.updates(at: $0) } == Array(stride(from: 2, through: 180, by: 2)))
        #expect(ChexSchedule(ChexOptions(kappa: 0.5), epochs: 10).tMax == 7)
    }

    @Test func leverageScores() {
        // A zero column has leverage 0 and is pruned first.
        let x: [Double] = [1, 0, 2, 3, 0, -1, 0, 0, 4, 2, 0, 1, -1, 0, 0.5]
        let l = ChannelImportance.leverage(x, rows: 5, cols: 3, keep: 2)
        #expect(abs(l[1]) < 1e-9 && l[0] > 0.5 && l[2] > 0.5)
        // Orthonormal columns with k = C: every score is 1.
        let q: [Double] = [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0]
        #expect(ChannelImportance.leverage(q, rows: 4, cols: 3, keep: 3).allSatisfy { abs($0 - 1) < 1e-9 })
        // Σ ℓ² = k.
        let r = GradientCheck.random([10, 4], seed: 3).data
        #expect(abs(ChannelImportance.leverage(r, rows: 10, cols: 4, keep: 2).reduce(0) { $0 + $1 * $1 } - 2) < 1e-9)
        // Fewer rows than channels: the L1 norm.
        #expect(ChannelImportance.leverage([1, -2, 3, 0, 1, -1], rows: 2, cols: 3, keep: 1) == [1, 3, 4])
    }

    @Test func aCandidateInTheKeptSpanHasNoResidual() {
        // Columns: s0, s1, s0 + 2 s1 (in the span), e (outside).
        let x: [Double] = [1, 0, 1, 0,
                           0, 1, 2, 0,
                           1, 1, 3, 0,
                           0, 0, 0, 1]
        let r = ChannelImportance.residuals(x, rows: 4, cols: 4, kept: [0, 1], candidates: [2, 3])
        #expect(abs(r[0]) < 1e-12 && abs(r[1] - 1) < 1e-12)
    }

    func effectiveColumnIsZero(_ m: QoRPredictor, _ group: ChannelGroup, _ ch: Int) -> Bool {
        group.producers.allSatisfy { p in
            let w = m.weights.weight(p.weight)
            return (0..<p.input).allSatisfy { w.data[$0 * p.output + ch] == 0 } && (p.bias.map { m.weights.weight($0).data[ch] == 0 } ?? true)
        } && group.vectors.allSatisfy { m.weights.weight($0).data[ch] == 0 }
            && group.consumers.enumerated().allSatisfy { qi, q in
                (0..<group.blocks[qi]).allSatisfy { k in
                    (0..<q.output).allSatisfy { m.weights.weight(q.weight).data[(k * group.channels + ch) * q.output + $0] == 0 }
                }
            }
    }

    @Test func pruneRegrowRestoreAndCompact() throws {
        let wide = model(seed: 5)
        let net = try #require(wide.network as? SequenceNetwork)
        let groups = net.channelGroups
        // The fusion, head, level and readout hidden layers, and the node states (hidden 8: 2
        // message-passing layers whose updates read 5 blocks of them, the readout 2).
        #expect(groups.map(\.channels) == [32, 16, 16, 16, 8])
        #expect(groups[4].consumers.map(\.input) == [40, 40, 2 * 8 + DesignStats.featureCount] && groups[4].vectors.count == 4)
        let pruner = ChexPruner(ChexOptions(kappa: 0.5), groups: groups, weights: wide.weights, epochs: 10, seed: 1)
        pruner.beforeEpoch(0)
        // Sparsity κ − δ₀ = 0.3 by the L1 norm: ⌊0.7 C⌋ kept.
        #expect(pruner.keptIndices.map(\.count) == [22, 11, 11, 11, 5])
        for (gi, g) in groups.enumerated() {
            for ch in 0..<g.channels where !pruner.keptIndices[gi].contains(ch) { #expect(effectiveColumnIsZero(wide, g, ch)) }
        }
        // Training moves every value; a regrown channel gets its pre-prune weights back bit for bit.
        let before = pruner.snapshots
        var rng = SeededGenerator(seed: 9)
        for id in wide.weights.ids { wide.weights[id] = .uniform(wide.weights[id].shape, bound: 0.4, rng: &rng) }
        let keptBefore = pruner.keptIndices
        pruner.update(regrow: 0.15)
        var restored = 0
        for (gi, _) in groups.enumerated() {
            for ch in pruner.keptIndices[gi] where !keptBefore[gi].contains(ch) {
                #expect(pruner.channelValues(gi, ch) == before[gi][ch])
                restored += 1
            }
        }
        #expect(restored > 0)
        // The last step (δ = 0): global sparsity κ up to per-group rounding, pruned channels read 0.
        pruner.update(regrow: 0)
        let kept = pruner.keptIndices
        #expect(abs(kept.map(\.count).reduce(0, +) - 44) <= groups.count + 1, "\(kept.map(\.count))")
        for (gi, g) in groups.enumerated() {
            for ch in 0..<g.channels where !kept[gi].contains(ch) { #expect(effectiveColumnIsZero(wide, g, ch)) }
        }
        // The narrow model has smaller matrices, no masks, and predicts what the masked wide one does.
        let narrow = ChexCompaction.compact(wide, prunable: net, kept: kept)
        let c = try #require(narrow.config.architecture.network as? SequenceConfig)
        #expect([c.fusionWidth, c.head, c.levelHidden, c.readout, c.hidden] == kept.map(\.count))
        #expect(narrow.weights.ids.allSatisfy { narrow.weights.mask($0) == nil })
        #expect(narrow.parameterCount < wide.parameterCount)
        let s = sample("mult_4", try ownDesign("mult_4"))
        let a = try wide.predict(s, flows: flows), b = try narrow.predict(s, flows: flows)
        for (x, y) in zip(a, b) {
            #expect(abs(x.delay - y.delay) <= 1e-5 * max(1, abs(x.delay)) && abs(x.area - y.area) <= 1e-5 * max(1, abs(x.area)))
        }
        // It survives a checkpoint as the narrower model.
        let path = try temporaryDirectory() + "/n.safetensors"
        try narrow.save(to: path)
        #expect(try QoRPredictor(checkpoint: path).predict(s, flows: flows) == narrow.predict(s, flows: flows))
    }

    /// With node-state channels masked, the taped graph encoder (which trains) and the tape-free
    /// one (which validates and predicts) give the same design vector: both norms count the kept channels.
    @Test func maskedNodeStatesTapedEqualsTapeFree() throws {
        let m = model(seed: 3)
        let net = try #require(m.network as? SequenceNetwork)
        let pruner = ChexPruner(ChexOptions(kappa: 0.5), groups: net.channelGroups, weights: m.weights, epochs: 10, seed: 2)
        pruner.beforeEpoch(0)
        #expect(pruner.keptIndices[4].count == 5)
        let fast = try #require(FastGraphEncoder(net.graph, weights: m.weights))
        let design = sample("mult_4", try ownDesign("mult_4"))
        let t = GraphTensors<Float>(design)
        let g = Tape(m.weights, mode: .inference)
        let taped = g.value(net.graph(g, t))
        g.reset()
        let free = g.value(net.graph.readout(g, pooled: g.constant(fast.pooled(design.graph)), stats: g.constant(t.stats)))
        let scale = max(1e-3, taped.data.map(abs).max() ?? 0)
        for (x, y) in zip(free.data, taped.data) { #expect(abs(x - y) <= 1e-5 * scale, "\(x) vs \(y)") }
    }

    @Test func macsEqualAHandCount() {
        // The efficiency table's counter (CostCounter: a ReLU-family activation costs one MAC per
        // element, an affine norm two) on 2 inputs, 6 ANDs and 2 outputs: N = 10 nodes,
        // E = 2·6 + 2 = 14 fanin edges, flows of 3 steps. hidden 8, 2 graph layers, design 16,
        // embedding 8, LSTM 16, fusion 32, head, level and readout 16; 7 vocabulary steps, so the
        // flow vector has f = 16 + 6·7 + 1 = 59 and the design vector d = 16 + 6 = 22.
        // Graph pass: input 10·7·8 + relu 80 = 640; per layer aggregation 2E·8 = 224, update
        // 10·40·8 + relu 80 = 3280, norm 2·80 = 160, so 2·3664 = 7328; mean pool 10·8 = 80; readout
        // 22·16 + 16 + 16·16 + 16 = 640 (activated last); fusion.design 22·32 = 704; gate 22·59 = 1298;
        // level 22·16 + 16 + 16·2 = 400.
        // Per flow: LSTM 3·(8 + 16)·64 = 4608; fusion flow and product 2·59·32 = 3776, relu 32;
        // head 32·16 + 16 + 16·2 = 560.
        let workload = ReferenceWorkload(inputs: 2, ands: 6, outputs: 2, steps: 3)
        let wide = model(seed: 1).cost(workload)
        #expect(wide?.graphPassMACs == 640 + 7328 + 80 + 640 + 704 + 1298 + 400)
        #expect(wide?.perFlowMACs == 4608 + 3776 + 32 + 560)
        // Halved channels: readout 22·8 + 8 + 8·16 + 16 = 328, fusion.design 22·16 = 352, level
        // 22·8 + 8 + 8·2 = 200; per flow fusion 2·59·16 = 1888, relu 16, head 16·8 + 8 + 8·2 = 152.
        var narrow = tinySequence(hidden: 8)
        narrow.fusionWidth = 16
        narrow.headWidth = 8
        narrow.levelWidth = 8
        narrow.readoutWidth = 8
        let cost = model(seed: 1, network: narrow).cost(workload)
        #expect(cost?.graphPassMACs == 640 + 7328 + 80 + 328 + 352 + 1298 + 200)
        #expect(cost?.perFlowMACs == 4608 + 1888 + 16 + 152)
        // Node states halved too (hidden 4): input 10·7·4 + relu 40 = 320; per layer aggregation
        // 2E·4 = 112, update 10·20·4 + relu 40 = 840, norm 80, so 2·1032 = 2064; mean pool 40;
        // readout (2·4 + 6)·8 + 8 + 8·16 + 16 = 264. The flow side is unchanged.
        narrow.hidden = 4
        let thin = model(seed: 1, network: narrow).cost(workload)
        #expect(thin?.graphPassMACs == 320 + 2064 + 40 + 264 + 352 + 1298 + 200)
        #expect(thin?.perFlowMACs == 4608 + 1888 + 16 + 152)
    }
}
