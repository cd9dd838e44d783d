import Common
import Flows
import Netlist
import Testing
@testable import QoRModel
@testable import Tensor

/// The sampler properties of COMPRESSION.md §1.2, each against an oracle computed here from the
/// full graph (induced subgraphs, L-hop neighbourhoods, exact expectations by enumeration).
@Suite struct SamplingTests {
    /// Input `a` fans out to six ANDs (so fan-out caps bite), with inverted edges: 14 nodes.
    func fanoutGraph() -> AigGraph {
        var b = AigBuilder()
        let a = b.addInput(), x = b.addInput(), y = b.addInput()
        let g1 = b.and(a, x), g2 = b.and(a, !y), g3 = b.and(!a, b.and(x, y))
        let g4 = b.and(g1, !g2), g5 = b.and(a, g3)
        b.addOutput(g4)
        b.addOutput(b.and(!g5, a))
        b.addOutput(b.and(g2, a))
        return AigGraph(b.finish())
    }

    func adder() throws -> AigGraph { AigGraph(try ownDesign("adder_8")) }

    /// Every sampler at settings that cut the fixture.
    func samplers() throws -> [any GraphSampler] {
        [try NeighborSampler(fanouts: [2, 2], seeds: 3), try ClusterSampler(parts: 4, partsPerBatch: 2),
         try SaintNodeSampler(nodes: 5, coverage: 20)]
    }

    /// The full graph's edges as a set of (global row, global column, operator, weight).
    func globalEdges(_ s: SampledGraph) -> Set<String> {
        Set(s.edges.map { "\(s.nodes[Int($0.row)]) \(s.nodes[Int($0.column)]) \($0.op.rawValue)" })
    }

    /// (row, column, op) triples of the full graph restricted to `kept`.
    func inducedEdges(_ g: AigGraph, _ kept: Set<Int32>) -> Set<String> {
        Set(FullEdges.all(g).filter { kept.contains($0.row) && kept.contains($0.column) }.map { "\($0.row) \($0.column) \($0.op.rawValue)" })
    }

    @Test func neighbourSamplingRespectsFanoutsAndSeedOrder() throws {
        let g = try adder()
        let sampler = try NeighborSampler(fanouts: [3, 2], seeds: 20)
        let prepared = sampler.prepare(g, seed: 1)
        for draw in 0..<20 {
            var rng = SplitMix64(seed: UInt64(draw))
            var copy = rng
            let s = prepared.sample(using: &rng)
            // The first |B| nodes are the seeds, in the order drawn.
            #expect(s.seeds == 20)
            #expect(s.nodes.prefix(20).map(Int.init) == SampleIndices.distinct(20, of: g.nodeCount, using: &copy))
            // Hop 1 adds exactly the new columns of the seeds' edges; hop i rows have at most S_i edges.
            var perRow = [Int32: Int]()
            for e in s.edges { perRow[e.row, default: 0] += 1 }
            let hop1End = s.edges.filter { $0.row < 20 }.map { Int($0.column) + 1 }.max() ?? 20
            for (row, count) in perRow { #expect(count <= (row < 20 ? 3 : 2), "row \(row) has \(count) edges") }
            #expect(perRow.keys.allSatisfy { Int($0) < max(20, hop1End) }, "only seeds and hop-1 nodes are expanded")
            // No duplicate (row, column) pairs without replacement; every edge is an edge of the graph.
            #expect(Set(s.edges.map { "\($0.row) \($0.column)" }).count == s.edges.count)
            #expect(globalEdges(s).isSubset(of: inducedEdges(g, Set(s.nodes))))
            // The readout is the mean over the seeds.
            #expect(s.readout.prefix(20).allSatisfy { $0 == 1 / Float(20) } && s.readout.dropFirst(20).allSatisfy { $0 == 0 })
        }
    }

    @Test func neighbourSamplingWithAllNeighboursIsTheLHopNeighbourhood() throws {
        let g = try adder()
        let prepared = try NeighborSampler(fanouts: [-1, -1], seeds: 5).prepare(g, seed: 1)
        var rng = SplitMix64(seed: 9)
        let s = prepared.sample(using: &rng)
        // Oracle: breadth-first search over fanins and fanouts, two hops from the seeds.
        var reached = Set(s.nodes.prefix(5)), frontier = Array(s.nodes.prefix(5))
        for _ in 0..<2 {
            var next: [Int32] = []
            for v in frontier {
                let neighbours = Array(g.faninSource[Int(g.faninStart[Int(v)])..<Int(g.faninStart[Int(v) + 1])])
                    + Array(g.fanoutTarget[Int(g.fanoutStart[Int(v)])..<Int(g.fanoutStart[Int(v) + 1])])
                for u in neighbours where reached.insert(u).inserted { next.append(u) }
            }
            frontier = next
        }
        #expect(Set(s.nodes) == reached)
        #expect(s.nodes.count == reached.count, "no node twice")
    }

    @Test func faninSamplingWithTwoOrMoreKeepsEveryFanin() throws {
        let g = try adder()
        let prepared = try NeighborSampler(fanouts: [2], seeds: 0, direction: .fanin).prepare(g, seed: 1)
        var rng = SplitMix64(seed: 3)
        let sampled = GraphTensors<Double>(g, stats: DesignStats(g), sample: prepared.sample(using: &rng))
        let full = GraphTensors<Double>(g, stats: DesignStats(g))
        // Seeds are every node in order, so local ids are global ids: the fanin operators are the full ones.
        for op in [EdgeOperator.plainFanin, .invertedFanin] {
            #expect(sampled.operators[op.rawValue].dense().data == full.operators[op.rawValue].dense().data)
        }
    }

    /// With every node a seed and every neighbour drawn, the sampled forward is the full-graph
    /// forward (to 1e-6: a sample stores its weights, 1/fanout and 1/nodes, in Float).
    @Test func unsampledNeighbourhoodGivesTheFullForward() throws {
        let g = fanoutGraph()
        var rng = SplitMix64(seed: 5)
        let sample = try NeighborSampler(fanouts: [-1], seeds: 0).prepare(g, seed: 1).sample(using: &rng)
        let full = GraphTensors<Double>(g, stats: DesignStats(g))
        let sampled = GraphTensors<Double>(g, stats: DesignStats(g), sample: sample)
        let weights = ParameterStore<Double>(seed: 7)
        let vocabulary = FlowVocabulary(steps: ["balance", "rewrite"], maxSteps: 4)
        let network = SupernodeNetwork(weights, SupernodeConfig(hidden: 4, graphLayers: 2, fusionWidth: 8), vocabulary: vocabulary, knownDesigns: 1)
        for (k, id) in weights.ids.enumerated() { weights[id] = GradientCheck.random(weights[id].shape, seed: 70 &+ UInt64(k), low: -0.8, high: 0.8) }
        let tokens = TokenBatch([[1, 2, 2], [2, 1]])
        func run(_ t: GraphTensors<Double>) -> [Double] {
            let tape = Tape(weights, mode: .inference)
            let out = network.forward(tape, [DesignGroup(tensors: t, memory: 1, flows: 2)], tokens: tokens)
            return tape.value(out.effect).data + tape.value(out.level).data
        }
        let a = run(full), b = run(sampled)
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($0)) }, "\(a) vs \(b)")
    }

    @Test func clusterPartitionCoversEveryNodeOnceAndBatchesAreInduced() throws {
        let g = try adder()
        let clusters = ClusterSampler.partition(g, parts: 6)
        #expect(clusters.count == 6)
        let all = clusters.flatMap { $0 }
        #expect(all.count == g.nodeCount && Set(all).count == g.nodeCount)
        let prepared = try ClusterSampler(parts: 6, partsPerBatch: 2).prepare(g, seed: 1)
        for draw in 0..<10 {
            var rng = SplitMix64(seed: UInt64(draw))
            let s = prepared.sample(using: &rng)
            let kept = Set(s.nodes)
            // The nodes are the union of two whole clusters ...
            let whole = clusters.filter { !kept.isDisjoint(with: $0) }
            #expect(whole.count == 2 && whole.allSatisfy { kept.isSuperset(of: $0) })
            // ... and the edges are exactly the induced subgraph (between-cluster edges restored).
            #expect(globalEdges(s) == inducedEdges(g, kept))
            #expect(abs(s.readout.reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test func saintWithoutCoverageHasUnitNormsAndInducedSubgraphs() throws {
        let g = try adder()
        let prepared = try SaintNodeSampler(nodes: 40, coverage: 0).prepare(g, seed: 1)
        let full = Dictionary(FullEdges.all(g).map { ("\($0.row) \($0.column) \($0.op.rawValue)", $0.weight) }, uniquingKeysWith: { a, _ in a })
        var rng = SplitMix64(seed: 2)
        for _ in 0..<10 {
            let s = prepared.sample(using: &rng)
            #expect(s.nodes.count == 40)
            #expect(globalEdges(s) == inducedEdges(g, Set(s.nodes)))
            for e in s.edges { #expect(e.weight == full["\(s.nodes[Int(e.row)]) \(s.nodes[Int(e.column)]) \(e.op.rawValue)"]) }
            #expect(s.readout.allSatisfy { $0 == 1 / Float(40) })
        }
    }

    /// GraphSAINT's normalisation is unbiased: over every 4-node subset of the 14-node fixture
    /// (all equally likely, counted exactly as the coverage samples), the mean normalised
    /// aggregation at v, given v is sampled, equals v's full aggregation for every operator, and
    /// the mean normalised readout equals the full mean.
    @Test func saintNormalisationIsUnbiasedByEnumeration() {
        let g = fanoutGraph(), n = g.nodeCount, k = 4
        var subsets: [[Int32]] = []
        func choose(_ start: Int, _ chosen: [Int32]) {
            if chosen.count == k { subsets.append(chosen); return }
            for v in start..<n { choose(v + 1, chosen + [Int32(v)]) }
        }
        choose(0, [])
        #expect(n == 14 && subsets.count == 1001)
        let norms = SaintNorms(g, samples: subsets)
        let x = (0..<n).map { Double($0 * $0 % 7) + 0.5 }
        var full = [[Double]](repeating: [Double](repeating: 0, count: n), count: 4)
        for e in FullEdges.all(g) { full[e.op.rawValue][Int(e.row)] += Double(e.weight) * x[Int(e.column)] }
        var sum = [[Double]](repeating: [Double](repeating: 0, count: n), count: 4)
        var times = [Double](repeating: 0, count: n), readout = 0.0
        for nodes in subsets {
            let s = norms.subgraph(g, nodes: nodes)
            for v in s.nodes { times[Int(v)] += 1 }
            for e in s.edges { sum[e.op.rawValue][Int(s.nodes[Int(e.row)])] += Double(e.weight) * x[Int(s.nodes[Int(e.column)])] }
            for (i, v) in s.nodes.enumerated() { readout += Double(s.readout[i]) * x[Int(v)] }
        }
        for op in 0..<4 {
            for v in 0..<n {
                let estimate = sum[op][v] / times[v]
                #expect(abs(estimate - full[op][v]) <= 1e-5 * max(1, abs(full[op][v])), "operator \(op), node \(v): \(estimate) vs \(full[op][v])")
            }
        }
        let mean = x.reduce(0, +) / Double(n)
        #expect(abs(readout / Double(subsets.count) - mean) <= 1e-5 * mean)
    }

    /// The same, by Monte Carlo on the real sampler with norms estimated from 200 draws per node:
    /// over 4000 subgraphs of 40 nodes, the mean readout of the level feature is within 3% of its
    /// full mean (the norms' own sampling error is about 1/√200 per node, averaged over 100+ nodes).
    @Test func saintReadoutIsUnbiasedInMonteCarlo() throws {
        let g = try adder(), f = AigGraph.featureCount
        let x = (0..<g.nodeCount).map { Double(g.features[$0 * f + 4]) + 0.1 }
        let prepared = try SaintNodeSampler(nodes: 40, coverage: 200).prepare(g, seed: 3)
        var rng = SplitMix64(seed: 4), total = 0.0
        for _ in 0..<4000 {
            let s = prepared.sample(using: &rng)
            for (i, v) in s.nodes.enumerated() { total += Double(s.readout[i]) * x[Int(v)] }
        }
        let mean = x.reduce(0, +) / Double(g.nodeCount)
        #expect(abs(total / 4000 - mean) <= 0.03 * mean, "\(total / 4000) vs \(mean)")
    }

    @Test func samplesAreFixedBySeed() throws {
        let g = try adder()
        for sampler in try samplers() {
            let a = sampler.prepare(g, seed: 1), b = sampler.prepare(g, seed: 1)
            var r1 = SplitMix64(seed: 11), r2 = SplitMix64(seed: 11), r3 = SplitMix64(seed: 12)
            let s1 = a.sample(using: &r1), s2 = b.sample(using: &r2), s3 = a.sample(using: &r3)
            #expect(s1.nodes == s2.nodes && s1.edges == s2.edges && s1.readout == s2.readout, "\(sampler.name)")
            #expect(s1.nodes != s3.nodes || s1.edges != s3.edges, "\(sampler.name): another seed, another subgraph")
        }
    }

    /// The supernode is never cut: on every sampler's subgraph the flow reaches the output (its
    /// virtual node is joined to every kept node and reads their normalised mean), and the
    /// readout weights cover every kept node (every seed, for neighbour sampling).
    @Test func supernodeIsKeptInEverySubgraph() throws {
        let g = try adder()
        let weights = ParameterStore<Float>(seed: 8)
        let vocabulary = FlowVocabulary(steps: ["balance", "rewrite"], maxSteps: 4)
        let network = SupernodeNetwork(weights, SupernodeConfig(hidden: 4, graphLayers: 2, fusionWidth: 8), vocabulary: vocabulary, knownDesigns: 1)
        for (k, id) in weights.ids.enumerated() {
            weights[id] = GradientCheck.random(weights[id].shape, seed: 80 &+ UInt64(k), low: -0.8, high: 0.8).converted(to: Float.self)
        }
        for sampler in try samplers() {
            var rng = SplitMix64(seed: 2)
            let s = sampler.prepare(g, seed: 1).sample(using: &rng)
            #expect(s.readout.prefix(s.seeds).allSatisfy { $0 > 0 }, "\(sampler.name)")
            let t = GraphTensors<Float>(g, stats: DesignStats(g), sample: s)
            let tape = Tape(weights, mode: .inference)
            let out = network.forward(tape, [DesignGroup(tensors: t, memory: 1, flows: 2)], tokens: TokenBatch([[1, 1, 1], [2, 2, 2]]))
            let y = tape.value(out.effect).data
            #expect(y[0] != y[2] || y[1] != y[3], "\(sampler.name): two flows give two outputs through the virtual node")
        }
    }

    /// The backward pass through a sampled subgraph's normalised readout, by finite differences.
    @Test func supernodeGradientOnASampledSubgraph() throws {
        let g = fanoutGraph()
        var rng = SplitMix64(seed: 5)
        let sample = try SaintNodeSampler(nodes: 6, coverage: 10).prepare(g, seed: 2).sample(using: &rng)
        let t = GraphTensors<Double>(g, stats: DesignStats(g), sample: sample)
        let weights = ParameterStore<Double>(seed: 9)
        let vocabulary = FlowVocabulary(steps: ["balance", "rewrite"], maxSteps: 4)
        let network = SupernodeNetwork(weights, SupernodeConfig(hidden: 3, graphLayers: 2, fusionWidth: 4), vocabulary: vocabulary, knownDesigns: 1)
        for (k, id) in weights.ids.enumerated() { weights[id] = GradientCheck.random(weights[id].shape, seed: 90 &+ UInt64(k), low: -0.8, high: 0.8) }
        let result = GradientCheck.run([], weights: weights, tolerance: 1e-5) { tape, _ in
            let out = network.forward(tape, [DesignGroup(tensors: t, memory: 1, flows: 2)], tokens: TokenBatch([[1, 2], [2]]))
            return tape.concat([out.effect, out.level], axis: 0)
        }
        #expect(result.worst < 1e-5)
    }

    @Test func unknownSamplerAndBadSettingsAreUsageErrors() {
        #expect(throws: ModelError.self) { try GraphSamplers.make(SamplingSettings(sampler: "metis")) }
        #expect(throws: ModelError.self) { try GraphSamplers.make(SamplingSettings(sampler: "neighbor", fanouts: [0])) }
        #expect(throws: ModelError.self) { try GraphSamplers.make(SamplingSettings(sampler: "cluster", parts: 2, partsPerBatch: 3)) }
        #expect((try? GraphSamplers.make(SamplingSettings(sampler: "saint")))?.compressionStep.option == "sampling")
    }
}

/// Training with a sampler: the steps run on subgraphs, the model records the sampling step, and
/// the full-graph evaluation after it is finite.
@Suite struct SampledTrainingTests {
    @Test(arguments: ["neighbor", "cluster", "saint"])
    func trainsAndRecordsTheSamplingStep(sampler name: String) throws {
        let aig = try ownDesign("adder_16")
        let flows = Flow.distinctRandom(count: 6, length: 8, seed: 5)
        let labels = try abcLutLabels(design: "\(repositoryRoot)/designs/gen/adder_16.aig", flows: flows)
        let set = try TrainingSet(designs: [sample("adder_16", aig)], flows: flows,
                                  examples: labels.enumerated().map { LabelledExample(design: 0, flow: $0.offset, delay: $0.element.delay, area: $0.element.area) })
        let all = Array(set.examples.indices)
        var options = TrainingOptions(kind: .supernode)
        options.architecture = tinyArchitecture(.supernode)
        options.epochs = 3
        options.flowsPerDesign = 6
        options.memoryDropout = 0
        let sampler = try GraphSamplers.make(SamplingSettings(sampler: name, fanouts: [2, 2], parts: 4, partsPerBatch: 2, sampleSize: 40, coverage: 5))
        options.sampler = sampler
        let result = try Trainer.train(set, split: DataSplit(train: all, validation: all, test: all), options: options,
                                       library: "lut6", units: QoRUnits(delay: "levels", area: "LUTs"))
        #expect(result.predictor.config.compression == [sampler.compressionStep])
        #expect(result.predictor.config.compression.first?.settings["sampler"] == name)
        #expect(result.history.allSatisfy { $0.trainingSeconds <= $0.seconds })
        let test = try #require(result.test)
        #expect(test.model.delayMAPE.isFinite && test.model.areaMAPE.isFinite)
    }
}
