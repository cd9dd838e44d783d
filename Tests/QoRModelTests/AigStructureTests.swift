import Netlist
import Testing
@testable import QoRModel

/// y = xor(a, b) & mux(s, t, e), with xor(a, b) and a & e as two more outputs: eight ANDs whose
/// structure shares are counted by hand below.
@Test func structureOfAHandBuiltAig() {
    var builder = AigBuilder()
    let (a, b, s, t, e) = (builder.addInput(), builder.addInput(), builder.addInput(), builder.addInput(), builder.addInput())
    let x = builder.xor(a, b)       // p = a & !b, q = !a & b, x = !(!p & !q): levels 1, 1, 2
    let m = builder.mux(s, t, e)    // u = s & t, w = !s & e, m = !(!u & !w): levels 1, 1, 2
    let y = builder.and(x, m)       // both fanins complemented ANDs, but neither an XOR nor a MUX: level 3
    let z = builder.and(a, e)       // level 1, off the longest path
    builder.addOutput(y)
    builder.addOutput(x)
    builder.addOutput(z)
    let st = AigStructure(AigGraph(builder.finish()))
    #expect(st.xorShare == 1.0 / 8)
    #expect(st.muxShare == 1.0 / 8)
    // Depth 4 (outputs are nodes one level above their driver); every AND but z lies on a path of 4.
    #expect(st.criticalShare == 7.0 / 8)
    // Outputs at levels 4, 3, 2 of 4; only the first reaches 0.9 of the depth.
    #expect(st.outputLevel == 9.0 / 3 / 4)
    #expect(st.outputsNearDepth == 1.0 / 3)
    // Input a feeds p, q and z: fanout 3.
    #expect(st.maxLogFanout == 0.5)
    // x's AND feeds y and an output; the other seven ANDs have one fanout.
    #expect(st.singleFanoutShare == 7.0 / 8)
    #expect(st.andLevel == 12.0 / 8 / 4)
    #expect(DesignStats(AigGraph(builder.finish())).levelFeatures.count == DesignStats.levelFeatureCount)
}
