import Testing
@testable import Tensor

/// The mixture-of-experts layer against COMPRESSION.md §2.0/§2.1's worked examples and properties,
/// and finite differences for every new layer and op.
@Suite struct MixtureOfExpertsTests {
    func value(_ build: (Tape<Double>) -> Value) -> Double {
        let g = Tape<Double>()
        return g.scalar(build(g))
    }

    /// §2.0: E = 2, gates [[.9,.1],[.6,.4]]: ce = [1, 0], me = [.75, .25], l_aux = 1.5.
    @Test func balanceLossWorkedExample() {
        let loss = value { g in
            MixtureOfExperts.balanceLoss(g, probabilities: g.constant(Tensor([2, 2], [0.9, 0.1, 0.6, 0.4])), counts: [2, 0], experts: 2)
        }
        #expect(abs(loss - 1.5) < 1e-12)
        // Uniform gates with a balanced assignment: exactly 1; full collapse onto one expert: E.
        let uniform = value { g in
            MixtureOfExperts.balanceLoss(g, probabilities: g.constant(Tensor(repeating: 0.25, shape: [4, 4])), counts: [1, 1, 1, 1], experts: 4)
        }
        #expect(abs(uniform - 1) < 1e-12)
        let collapsed = value { g in
            MixtureOfExperts.balanceLoss(g, probabilities: g.constant(Tensor([2, 4], [1, 0, 0, 0, 1, 0, 0, 0])), counts: [2, 0, 0, 0], experts: 4)
        }
        #expect(abs(collapsed - 4) < 1e-12)
    }

    /// §2.1 test 1-3: me = [1, 3, 5, 5], G = 2: mean(Var[1,3] = 2, Var[5,5] = 0) = 1; coef_type 0 (one
    /// cluster): Var([1,3,5,5]) = 11/3; 0 when every cluster is flat; the gradient reaches only the
    /// experts of non-uniform clusters.
    @Test func intraClusterVarianceWorkedExample() {
        let intra = value { g in MixtureOfExperts.intraClusterVariance(g, mass: g.constant(Tensor([4], [1, 3, 5, 5])), clusters: [[0, 1], [2, 3]]) }
        #expect(abs(intra - 1) < 1e-12)
        let global = value { g in MixtureOfExperts.intraClusterVariance(g, mass: g.constant(Tensor([4], [1, 3, 5, 5])), clusters: [[0, 1, 2, 3]]) }
        #expect(abs(global - 11.0 / 3) < 1e-12)
        let flat = value { g in MixtureOfExperts.intraClusterVariance(g, mass: g.constant(Tensor([4], [2, 2, 7, 7])), clusters: [[0, 1], [2, 3]]) }
        #expect(flat == 0)

        let g = Tape<Double>()
        let me = g.variable(Tensor([4], [1, 3, 5, 5]))
        g.backward(MixtureOfExperts.intraClusterVariance(g, mass: me, clusters: [[0, 1], [2, 3]]))
        guard let grad = g.grad(me) else {
            Issue.record("no gradient reached the expert masses")
            return
        }
        #expect(grad.data[0] != 0 && grad.data[1] != 0)
        #expect(grad.data[2] == 0 && grad.data[3] == 0)
    }

    func layer(_ router: ExpertRouter, experts: Int = 3, clusters: Int = 1, capacity: Double = 2, seed: UInt64 = 1) -> (ParameterStore<Double>, MixtureOfExperts) {
        let weights = ParameterStore<Double>(seed: seed)
        let moe = MixtureOfExperts(weights, "moe", denseNames: ["dense.0", "dense.1"], sizes: [4, 5, 3], activation: .tanh,
                                   experts: experts, router: router, clusters: clusters, capacityFactor: capacity, routingDimension: 3)
        // Router weights large enough that tokens spread over experts.
        for id in weights.ids where weights.name(id).contains("router") && !weights.name(id).contains("temperature") {
            weights[id] = randomTensor(weights[id].shape, seed: seed &+ 7, low: -2, high: 2)
        }
        return (weights, moe)
    }

    /// §2.0 / §2.1 test 6: no expert takes more than C = ⌈T/E · c⌉ tokens; an overflow token's
    /// output is zero (a placement's residual passes it through unchanged).
    @Test(arguments: [ExpertRouter.softmax, .cosine])
    func capacityIsRespected(router: ExpertRouter) {
        let (weights, moe) = layer(router, capacity: 0.5)
        let g = Tape<Double>(weights, mode: .inference)
        let x = randomTensor([12, 4], seed: 3)
        let out = moe(g, g.constant(x))
        let a = out.assignment
        #expect(a.capacity == 2)
        #expect(a.load.allSatisfy { $0 <= 2 })
        #expect(a.expert.filter { $0 >= 0 }.count == a.load.reduce(0, +))
        let y = g.value(out.output)
        let dropped = a.expert.indices.filter { a.expert[$0] < 0 }
        #expect(dropped.count >= 6)
        for i in dropped { #expect((0..<3).allSatisfy { y[i, $0] == 0 }) }
        for i in a.expert.indices where a.expert[i] >= 0 { #expect((0..<3).contains { y[i, $0] != 0 }) }
    }

    /// Tokens go only to candidate experts (pruned or dropped ones never get any), each to its best candidate.
    @Test(arguments: [ExpertRouter.softmax, .cosine])
    func routesOnlyToCandidates(router: ExpertRouter) {
        let (weights, moe) = layer(router, experts: 4, capacity: 10)
        let g = Tape<Double>(weights, mode: .inference)
        let x = g.constant(randomTensor([16, 4], seed: 5))
        let all = moe(g, x).assignment
        let out = moe(g, x, candidates: [true, false, true, false]).assignment
        #expect(out.expert.allSatisfy { $0 == 0 || $0 == 2 })
        // A token whose best expert survives keeps it.
        for i in 0..<16 where all.expert[i] == 0 || all.expert[i] == 2 { #expect(out.expert[i] == all.expert[i]) }
        #expect(Set(all.expert).count > 2, "the fixture should spread tokens: \(all.expert)")
    }

    /// With one expert the layer is the dense MLP under the dense names: same parameters, same output.
    @Test func oneExpertIsTheDenseLayer() {
        let weights = ParameterStore<Double>(seed: 2)
        let moe = MixtureOfExperts(weights, "moe", denseNames: ["dense.0", "dense.1"], sizes: [4, 5, 3], activation: .tanh,
                                   experts: 1, router: .softmax)
        #expect(weights.names == ["dense.0.weight", "dense.0.bias", "dense.1.weight", "dense.1.bias"])
        let denseWeights = ParameterStore<Double>(seed: 2)
        let dense = MLP(denseWeights, "dense", sizes: [4, 5, 3], activation: .tanh)
        let x = randomTensor([6, 4], seed: 9)
        let g = Tape<Double>(weights, mode: .inference), h = Tape<Double>(denseWeights, mode: .inference)
        let out = moe(g, g.constant(x))
        #expect(out.auxiliary == nil)
        #expect(g.value(out.output) == h.value(dense(h, h.constant(x))))
    }

    @Test func rowNormalizeGradient() {
        let worst = checkGradients([randomTensor([3, 4], seed: 11)]) { g, x in g.rowNormalize(x[0]) }
        #expect(worst < 1e-6)
        let g = Tape<Double>()
        let y = g.value(g.rowNormalize(g.constant(Tensor([1, 2], [3, 4]))))
        #expect(abs(y.data[0] - 0.6) < 1e-12 && abs(y.data[1] - 0.8) < 1e-12)
    }

    /// Finite differences through routing, gating, the capacity cut, the balance loss and (cosine)
    /// the learned temperature and the variance term.
    @Test(arguments: [ExpertRouter.softmax, .cosine])
    func layerGradients(router: ExpertRouter) {
        let (weights, moe) = layer(router, experts: 4, clusters: 2, capacity: 1)
        let worst = checkGradients([randomTensor([8, 4], seed: 13)], weights: weights, tolerance: 1e-5) { g, x in
            let out = moe(g, x[0], candidates: [true, true, false, true])
            let aux = out.auxiliary ?? g.constant(Tensor(zeros: [1]))
            return g.concat([g.reshape(out.output, [24, 1]), g.reshape(aux, [1, 1])], axis: 0)
        }
        #expect(worst < 1e-5)
    }

    /// The single-candidate path (a pruned layer) with the cosine router's α-gate.
    @Test func singleExpertGradients() {
        let (weights, moe) = layer(.cosine, experts: 3)
        let worst = checkGradients([randomTensor([5, 4], seed: 17)], weights: weights, tolerance: 1e-5) { g, x in
            moe(g, x[0], candidates: [false, true, false]).output
        }
        #expect(worst < 1e-5)
    }
}
