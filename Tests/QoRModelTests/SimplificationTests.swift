import Flows
import Foundation
import Netlist
import Testing
@testable import QoRModel
@testable import Tensor

/// SGC/SIGN graph simplification (COMPRESSION.md §1.4): the precomputed `Â^K X` equals K
/// applications of the propagation (a hand fixture and the plain dense loop), the head's
/// gradients match finite differences, and a trained simplified model saves, loads, predicts on
/// both inference paths, records its compression step and counts its MACs.
@Suite struct SimplificationTests {
    /// 2 inputs `a`, `b`, one AND `c = a & !b`, one output `o = c`: nodes a, b, c, o.
    func fixture() -> AigGraph {
        var builder = AigBuilder()
        let a = builder.addInput(), b = builder.addInput()
        builder.addOutput(builder.and(a, !b))
        return AigGraph(builder.finish())
    }

    @Test func oneStepEqualsTheHandComputedOperator() {
        // Undirected edges a-c, b-c, c-o plus self-loops: degrees a 2, b 2, c 4, o 2, so
        // Â = [[1/2, 0, 1/√8, 0], [0, 1/2, 1/√8, 0], [1/√8, 1/√8, 1/4, 1/√8], [0, 0, 1/√8, 1/2]].
        let p = SGCPropagation<Double>(fixture())
        let x = Tensor<Double>([4, 2], [1, 10, 2, 20, 3, 30, 4, 40])
        let r = 1 / 8.0.squareRoot()
        let expected: [Double] = [0.5 + 3 * r, 5 + 30 * r, 1 + 3 * r, 10 + 30 * r, 0.75 + 7 * r, 7.5 + 70 * r, 2 + 3 * r, 20 + 30 * r]
        let y = p.apply(x)
        #expect(y.shape == [4, 2])
        for (a, b) in zip(y.data, expected) { #expect(abs(a - b) < 1e-12, "\(y.data) vs \(expected)") }
        // The operator from the design's tensors (their fanin operators) is the same matrix.
        let g = fixture()
        #expect(SGCPropagation<Double>(GraphTensors<Double>(g, stats: DesignStats(g))).matrix.dense() == p.matrix.dense())
    }

    @Test func precomputationEqualsKApplicationsOfThePropagation() throws {
        let graph = AigGraph(try ownDesign("mult_4"))
        let p = SGCPropagation<Double>(graph)
        let a = p.matrix.dense(), n = graph.nodeCount, f = AigGraph.featureCount
        let x = Tensor<Double>([n, f], graph.features.map(Double.init))
        // The plain loop: K dense products Â·(Â·(…x)).
        var powers = [x]
        for _ in 0..<3 {
            let last = powers[powers.count - 1]
            var y = [Double](repeating: 0, count: n * f)
            for i in 0..<n { for k in 0..<n where a[i, k] != 0 { for j in 0..<f { y[i * f + j] += a[i, k] * last.data[k * f + j] } } }
            powers.append(Tensor([n, f], y))
        }
        for hops in 1...3 {
            let sgc = p.propagate(x, GraphSimplification(mode: .sgc, hops: hops))
            #expect(sgc.shape == [n, f])
            #expect(zip(sgc.data, powers[hops].data).allSatisfy { abs($0 - $1) < 1e-12 })
            let sign = p.propagate(x, GraphSimplification(mode: .sign, hops: hops))
            #expect(sign.shape == [n, f * (hops + 1)])
            for v in 0..<n { for k in 0...hops { for j in 0..<f {
                #expect(abs(sign.data[v * f * (hops + 1) + k * f + j] - powers[k].data[v * f + j]) < 1e-12)
            } } }
        }
        // Pooling: mean and max of each column of Â^2 X.
        let s = GraphSimplification(mode: .sgc, hops: 2)
        let pooled = p.pooled(x, s)
        for j in 0..<f {
            let column = (0..<n).map { powers[2].data[$0 * f + j] }
            #expect(abs(pooled.data[j] - column.reduce(0, +) / Double(n)) < 1e-12)
            #expect(pooled.data[f + j] == column.max())
        }
        // The memo computes it once per tensors and gives the same numbers.
        let t = GraphTensors<Double>(graph, stats: DesignStats(graph))
        #expect(t.simplified.pooled(s, t) == pooled)
        #expect(t.simplified.pooled(s, t) == pooled)
    }

    @Test func headGradientsMatchFiniteDifferences() {
        var builder = AigBuilder()
        let x = builder.addInput(), y = builder.addInput()
        let a = builder.and(x, !y)
        let c = builder.and(a, y)
        builder.addOutput(builder.and(!a, c))
        builder.addOutput(c)
        let g = AigGraph(builder.finish())
        let t = GraphTensors<Double>(g, stats: DesignStats(g))
        for mode in GraphSimplification.Mode.allCases {
            let weights = ParameterStore<Double>(seed: 5)
            var config = SequenceConfig(hidden: 3, graphLayers: 1, designWidth: 3, embedding: 2, flowEncoder: .lstm, flowWidth: 3,
                                        flowLayers: 1, heads: 1, fusionWidth: 4)
            config.simplification = GraphSimplification(mode: mode, hops: 2)
            let network = SequenceNetwork(weights, config, vocabulary: FlowVocabulary(steps: ["balance", "rewrite"], maxSteps: 4), knownDesigns: 1)
            // No learned weight on the graph side but the readout MLP.
            #expect(!weights.ids.contains { weights.name($0).hasPrefix("graph.") && !weights.name($0).hasPrefix("graph.readout") })
            for (k, id) in weights.ids.enumerated() { weights[id] = GradientCheck.random(weights[id].shape, seed: 50 &+ UInt64(k), low: -0.8, high: 0.8) }
            let groups = [DesignGroup(tensors: t, memory: 1, flows: 2), DesignGroup(tensors: t, memory: 0, flows: 1)]
            let result = GradientCheck.run([], weights: weights, tolerance: 1e-5) { g, _ in
                let out = network.forward(g, groups, tokens: TokenBatch([[1, 2, 2], [2, 1], [1]]))
                return g.concat([out.effect, out.level], axis: 0)
            }
            for m in result.mismatches.prefix(5) { Issue.record("\(mode): \(m)") }
            #expect(result.worst < 1e-5, "\(mode)")
        }
    }

    /// Three own designs, 30 flows, labels by a fixed rule of design and flow.
    func labels() throws -> TrainingSet {
        let flows = Flow.distinctRandom(count: 30, length: 8, seed: 4)
        let names = ["adder_8", "mult_4", "addtree_4x4"]
        var examples: [LabelledExample] = []
        for d in names.indices {
            for (f, flow) in flows.enumerated() {
                let b = Double(flow.steps.filter { $0.text.hasPrefix("balance") }.count)
                examples.append(LabelledExample(design: d, flow: f, delay: 20 + 3 * Double(d) - 0.4 * b + 0.05 * Double(f % 5), area: 100 + 10 * Double(d) - Double(f % 3)))
            }
        }
        return try TrainingSet(designs: try names.map { sample($0, try ownDesign($0)) }, flows: flows, examples: examples)
    }

    @Test func aTrainedSimplifiedModelSavesLoadsPredictsAndRecordsItsStep() throws {
        let set = try labels()
        let split = try DataSplit.make(set, kind: .flows, seed: 1)
        var options = TrainingOptions(kind: .sequence)
        options.architecture = tinyArchitecture(.sequence)
        options.epochs = 3
        options.learningRate = 1e-2
        try options.setSimplification(GraphSimplification(mode: .sign, hops: 2), parent: "parent.json", parentFingerprint: "0123")
        let result = try Trainer.train(set, split: split, options: options, library: "lut", units: QoRUnits(delay: "levels", area: "luts"))
        let m = result.predictor
        let step = try #require(m.config.compression.last)
        #expect(step.option == "simplification" && step.settings["mode"] == "sign" && step.settings["hops"] == "2")
        #expect(step.parent == "parent.json" && step.parentFingerprint == "0123")
        #expect((m.config.architecture.network as? SequenceConfig)?.simplification == GraphSimplification(mode: .sign, hops: 2))

        // Predictions: the tape-free path (propagation from the AIG) equals the taped one (from the tensors' memo).
        let design = set.designs[1], flows = Array(set.flows.prefix(8))
        let fast = try m.predict(design, flows: flows)
        let inference = try #require(m.inference as? SequenceInference)
        inference.fastKernels = false
        m.clearCache()
        let taped = try m.predict(design, flows: flows)
        inference.fastKernels = true
        for (a, b) in zip(fast, taped) {
            #expect(abs(a.delay - b.delay) <= 1e-5 * abs(b.delay) && abs(a.area - b.area) <= 1e-5 * abs(b.area), "\(a) vs \(b)")
        }
        // Saved and loaded: same architecture, same predictions, the step kept.
        let path = try temporaryDirectory() + "/sgc.safetensors"
        try m.save(to: path)
        let loaded = try QoRPredictor(checkpoint: path)
        #expect(loaded.config.architecture == m.config.architecture && loaded.config.compression == m.config.compression)
        #expect(try loaded.predict(design, flows: flows) == fast)
        // Its int8 child runs too (the fusion is unchanged by the simplification).
        let int8 = try Int8Compression.compress(loaded, parentPath: path, set: set, split: split, calibrationDesigns: 2)
        #expect(int8.child.config.compression.map(\.option) == ["simplification", "int8"])
    }

    @Test func macsEqualAHandCount() throws {
        // tinySequence (design 16, fusion 32, LSTM 16) on 2 inputs, 6 ANDs, 2 outputs: 10 nodes,
        // 14 fanin edges, so Â has 2·14 + 10 = 38 entries. SGC K = 2: propagation 2·38·7 = 532;
        // pooling 10·7 = 70; readout (2·7 + 6)·16 + 16·16 = 576 with ReLUs 16 + 16 = 32. SIGN K = 2:
        // width 21, pooling 210, readout (42 + 6)·16 + 256 + 32. The rest of the graph pass
        // (fusion.design, gate, level) and the per-flow cost equal the GIN model's.
        let vocabulary = FlowVocabulary(flows: [try Flow.parse("b; rw; rwz; rf; rfz; rs; rsz")], minimumSteps: 12)
        let w = ReferenceWorkload(inputs: 2, ands: 6, outputs: 2, steps: 3)
        #expect(w.nodes == 10)
        func cost(_ s: GraphSimplification?) -> NetworkCost {
            var c = tinySequence(hidden: 8)
            c.simplification = s
            return SequenceNetwork(ParameterStore<Float>(seed: 1), c, vocabulary: vocabulary, knownDesigns: 1).cost(w)
        }
        let gin = cost(nil), sgc = cost(GraphSimplification(mode: .sgc, hops: 2)), sign = cost(GraphSimplification(mode: .sign, hops: 2))
        var ginGraph = CostCounter()
        let plain = SequenceNetwork(ParameterStore<Float>(seed: 1), tinySequence(hidden: 8), vocabulary: vocabulary, knownDesigns: 1)
        plain.graph.count(&ginGraph, nodes: w.nodes, edges: w.edges)
        let fusionSide = gin.graphPassMACs - ginGraph.macs
        #expect(w.edges == 14)
        #expect(sgc.graphPassMACs == 532 + 70 + (20 * 16 + 16 * 16 + 32) + fusionSide)
        #expect(sign.graphPassMACs == 532 + 210 + (48 * 16 + 16 * 16 + 32) + fusionSide)
        #expect(sgc.perFlowMACs == gin.perFlowMACs && sign.perFlowMACs == gin.perFlowMACs)
        #expect(sgc.graphPassMACs < gin.graphPassMACs)
    }

    @Test func optionsThatCannotCombineAreRefused() {
        var supernode = TrainingOptions(kind: .supernode)
        #expect(throws: ModelError.self) { try supernode.setSimplification(GraphSimplification(mode: .sgc, hops: 2)) }
        var zero = TrainingOptions(kind: .sequence)
        #expect(throws: ModelError.self) { try zero.setSimplification(GraphSimplification(mode: .sgc, hops: 0)) }
        var quantised = TrainingOptions(kind: .sequence)
        quantised.degreeQuant = DegreeQuantSettings()
        #expect(throws: ModelError.self) { try quantised.setSimplification(GraphSimplification(mode: .sgc, hops: 2)) }
        var experts = SequenceConfig()
        experts.moe = MoESettings(placement: .gin, experts: 2)
        var gin = TrainingOptions(architecture: Architecture(experts))
        #expect(throws: ModelError.self) { try gin.setSimplification(GraphSimplification(mode: .sgc, hops: 2)) }
    }
}
