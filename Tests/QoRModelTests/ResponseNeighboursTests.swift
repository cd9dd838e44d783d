import Flows
import Tensor
import Testing
@testable import QoRModel

@Suite struct ResponseNeighboursTests {
    let anchors = ["b; rw; rf", "rwz; rfz; b; rs", "rsz; rsz; b", "rf; rf; rw", "b; b; rs; rwz", "rw; rs; rf; b"].map { try! Flow.parse($0) }
    let others = ["rf; rw; b; b; rwz; rs", "b", "rs; rs; rw", "rwz; b; rfz"].map { try! Flow.parse($0) }

    /// The tiny test model with three training designs in its memory, each with its own ridge.
    func model() -> QoRPredictor {
        let m = PredictorTests().model(.sequence)
        var config = m.config
        config.base.knownDesigns = (0..<3).map { i in
            KnownDesign(hash: "known\(i)", delay: [0.2 * Double(i), 0.05, -0.1 * Double(i)], area: [-0.1, 0.03 * Double(i), 0.02])
        }
        let p = QoRPredictor(config: config, seed: 5)
        var rng = SeededGenerator(seed: 6)
        for id in p.weights.ids { p.weights[id] = .uniform(p.weights[id].shape, bound: 0.3, rng: &rng) }
        return p
    }

    @Test func correlationAndSlopeMatchHandComputedValues() {
        // x = [1, 2, 3], y = [2, 4, 7]: deviations [-1, 0, 1] and [-7/3, -1/3, 8/3]; Sxy = 5, Sxx = 2, Syy = 38/3.
        #expect(abs(ResponseNeighbours.pearson([1, 2, 3], [2, 4, 7]) - 5 / (2 * 38.0 / 3).squareRoot()) < 1e-12)
        #expect(ResponseNeighbours.pearson([1, 1, 1], [2, 4, 7]) == 0)
        #expect(abs(ResponseNeighbours.slope([1, 2, 3], [1.5, 2, 2.5]) - 0.5) < 1e-12)
        #expect(ResponseNeighbours.slope([1, 2, 3], [2, 4, 7]) == 1)  // 2.5, clamped
        #expect(ResponseNeighbours.slope([1, 2, 3], [3, 2, 1]) == 0)  // -1, clamped
    }

    /// Truth that is the model's own prediction for the design presented as training design 2: that
    /// row correlates perfectly, so it is the one neighbour, its slope is 1, and every flow is then
    /// predicted as for that row (shifted by the anchors' median difference: zero here).
    @Test func aDesignRespondingLikeATrainingDesignBorrowsItsPredictions() throws {
        let m = model()
        let design = sample("mult_4", try ownDesign("mult_4"))
        #expect(!m.knows(design))
        var tokens: [[Int32]] = []
        for (i, f) in (anchors + others).enumerated() { tokens.append(try m.config.vocabulary.tokens(f, number: i + 1)) }
        let asTwo = m.uncalibrated(design, tokens: tokens, as: 2)
        #expect(asTwo.map(\.0) != m.uncalibrated(design, tokens: tokens).map(\.0))
        let anchorTokens = Array(tokens.prefix(anchors.count))
        let targets = asTwo.prefix(anchors.count).map { (Double($0.0), Double($0.1)) }
        let found = try #require(ResponseNeighbours.match(m, design, tokens: anchorTokens, targets: targets, count: 1))
        #expect(found.delayRows == [2] && found.areaRows == [2])
        #expect(abs(found.scale.delay - 1) < 1e-4 && abs(found.scale.area - 1) < 1e-4)

        let truth = asTwo.prefix(anchors.count).map { m.config.scaling.qor(Double($0.0), Double($0.1), stats: design.stats) }
            .map { QoRPrediction(delay: $0.delay, area: $0.area) }
        try m.calibrate(design, flows: anchors, truth: truth, neighbours: 1)
        let after = try m.predict(design, flows: others)
        let expected = asTwo.suffix(others.count).map { m.config.scaling.qor(Double($0.0), Double($0.1), stats: design.stats) }
        for (a, e) in zip(after, expected) {
            #expect(abs(a.delay - e.delay) <= 1e-4 * e.delay && abs(a.area - e.area) <= 1e-4 * e.area)
        }
        // Fewer anchors than the minimum: no neighbours, the design's own prediction shifted as before.
        try m.calibrate(design, flows: Array(anchors.prefix(ResponseNeighbours.minimumAnchors - 1)),
                        truth: Array(truth.prefix(ResponseNeighbours.minimumAnchors - 1)), neighbours: 1)
        #expect(m.neighbours[design.hash] == nil)
        m.dropAnchor(design)
        #expect(m.neighbours[design.hash] == nil && !m.isAnchored(design))
    }
}
