import Foundation
import Flows
import Testing
@testable import QoRModel

@Suite struct CalibrationTests {
    let anchors = ["b; rw; rf", "rwz; rfz; b; rs", "rsz; rsz; b"].map { try! Flow.parse($0) }
    let others = ["rf; rw; b; b; rwz; rs", "b", "rs; rs; rw"].map { try! Flow.parse($0) }

    func close(_ x: Double, _ y: Double) -> Bool { abs(x - y) <= 1e-4 * abs(y) }

    /// Labels that are the model's own predictions times (factor of anchor i): the calibration
    /// multiplies every prediction of the design by the median factor, per target, and leaves
    /// other designs alone.
    @Test(arguments: [ModelKind.sequence, .supernode])
    func calibrationScalesTheDesignByTheMedianFactor(kind: ModelKind) throws {
        let m = PredictorTests().model(kind)
        let design = sample("mult_4", try ownDesign("mult_4")), other = sample("adder_8", try ownDesign("adder_8"))
        let before = try m.predict(design, flows: anchors + others)
        let otherBefore = try m.predict(other, flows: others)
        let delayFactors = [1.1, 1.25, 7.0], areaFactors = [0.5, 0.8, 0.9]
        let truth = (0..<3).map { QoRPrediction(delay: before[$0].delay * delayFactors[$0], area: before[$0].area * areaFactors[$0]) }
        let c = try m.calibrate(design, flows: anchors, truth: truth)
        #expect(close(c.delayFactor, 1.25) && close(c.areaFactor, 0.8) && c.labels == 3)
        let after = try m.predict(design, flows: anchors + others)
        for (b, a) in zip(before, after) { #expect(close(a.delay, b.delay * 1.25) && close(a.area, b.area * 0.8)) }
        #expect(try m.predict(other, flows: others) == otherBefore)
        // A second calibration replaces the first rather than stacking on it.
        try m.calibrate(design, flows: [anchors[0]], truth: [before[0]])
        for (b, a) in zip(before, try m.predict(design, flows: anchors + others)) { #expect(close(a.delay, b.delay) && close(a.area, b.area)) }
    }

    @Test func calibrationRejectsMissingOrBadLabels() throws {
        let m = PredictorTests().model(.sequence)
        let design = sample("mult_4", try ownDesign("mult_4"))
        #expect { try m.calibrate(design, flows: anchors, truth: []) } throws: { ($0 as? ModelError)?.kind == .usage }
        #expect {
            try m.calibrate(design, flows: [anchors[1]], truth: [QoRPrediction(delay: 0, area: 3)])
        } throws: { ($0 as? ModelError)?.kind == .badInput && "\($0)".contains("rwz; rfz; b; rs") }
    }

    /// A model whose intervals are normalised: an anchored design's band is the multiplier times its
    /// anchor labels' spread (delays 10, 20, 40: σ of the logs = ln 2 · √(2/3); equal areas: 0) plus
    /// the offset; dropping the anchor gives the unanchored band back. The band holds for the anchor
    /// count it was fitted with: anchored on one label, the design gets none, and is told why.
    @Test func anchoredBandsScaleWithTheAnchorLabelsSpread() throws {
        let m = PredictorTests().model(.sequence)
        var config = m.config
        config.intervals = PredictionIntervals(coverage: 0.9, anchored: LogBand(delay: 0.5, area: 0.5), unanchored: LogBand(delay: 1, area: 1),
                                               designs: 10, predictions: 100, source: "test")
        config.intervals?.spreadOffset = LogBand(delay: 0.1, area: 0.2)
        config.intervals?.anchors = 3
        let path = try temporaryDirectory() + "/normalised.safetensors"
        try m.save(to: path, config: config)
        let loaded = try QoRPredictor(checkpoint: path)
        let design = sample("mult_4", try ownDesign("mult_4"))
        try loaded.calibrate(design, flows: anchors, truth: [10, 20, 40].map { QoRPrediction(delay: $0, area: 5) })
        let band = try #require(loaded.band(design))
        #expect(abs(band.delay - 0.5 * (log(2) * (2.0 / 3).squareRoot() + 0.1)) < 1e-9 && abs(band.area - 0.5 * 0.2) < 1e-9, "\(band)")
        #expect(loaded.bandMismatch(design) == nil)
        try loaded.calibrate(design, flows: [anchors[0]], truth: [QoRPrediction(delay: 10, area: 5)])
        #expect(loaded.band(design) == nil)
        #expect(loaded.bandMismatch(design)?.contains("--anchor 3") == true)
        loaded.dropAnchor(design)
        #expect(loaded.band(design) == LogBand(delay: 1, area: 1) && loaded.bandMismatch(design) == nil)
    }
}
