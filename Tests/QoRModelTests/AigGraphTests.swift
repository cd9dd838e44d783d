import Netlist
import Testing
@testable import QoRModel

/// f = !(a & !b) with a second output b & (a & !b): hand-built, so every number is known.
private func fixture() -> Aig {
    var builder = AigBuilder()
    let a = builder.addInput()
    let b = builder.addInput()
    let g = builder.and(a, !b)
    let h = builder.and(b, g)
    builder.addOutput(!g)
    builder.addOutput(h)
    return builder.finish()
}

@Test func graphOfAHandBuiltAig() {
    let g = AigGraph(fixture())
    // nodes: a=0, b=1, g=2, h=3, out0=4, out1=5
    #expect(g.nodeCount == 6)
    #expect(g.edgeCount == 6)
    #expect(g.faninStart == [0, 0, 0, 2, 4, 5, 6])
    #expect(Set(zip(g.faninSource[0..<2], g.faninInverted[0..<2]).map { "\($0)\($1)" }) == ["0false", "1true"])
    #expect(g.faninSource[4] == 2 && g.faninInverted[4])
    // Fanouts: a -> g; b -> g, h; g -> h, out0; h -> out1.
    #expect(g.fanoutStart == [0, 1, 3, 5, 6, 6, 6])
    #expect(g.depth == 3)
    let f = AigGraph.featureCount
    func row(_ v: Int) -> [Float] { Array(g.features[v * f..<(v + 1) * f]) }
    // b: input, no fanins, level 0, reverse level 3 (b -> g -> h -> out1), fanout 2: log2(3)/8
    #expect(row(1)[0...5] == [1, 0, 0, 0, 0, 1])
    #expect(abs(row(1)[6] - Float(1.5849625 / 8)) < 1e-6)
    // g: and, one inverted fanin, level 1/3, reverse 2/3
    #expect(row(2)[0...3] == [0, 1, 0, 0.5])
    #expect(abs(row(2)[4] - 1.0 / 3) < 1e-6 && abs(row(2)[5] - 2.0 / 3) < 1e-6)
    // out0: output, inverted fanin, level 2/3, reverse 0
    #expect(row(4)[0...3] == [0, 0, 1, 0.5])
}

@Test func fanoutIsTheTransposeOfFanin() {
    var builder = AigBuilder()
    var lits = (0..<6).map { _ in builder.addInput() }
    for i in 0..<40 { lits.append(builder.and(lits[(i * 7) % lits.count], !lits[(i * 3 + 1) % lits.count])) }
    for l in lits.suffix(5) { builder.addOutput(l) }
    let g = AigGraph(builder.finish())
    var forward = Set<[Int32]>()
    for v in 0..<g.nodeCount {
        for e in Int(g.faninStart[v])..<Int(g.faninStart[v + 1]) {
            forward.insert([g.faninSource[e], Int32(v), g.faninInverted[e] ? 1 : 0])
        }
    }
    var backward = Set<[Int32]>()
    for u in 0..<g.nodeCount {
        for e in Int(g.fanoutStart[u])..<Int(g.fanoutStart[u + 1]) {
            backward.insert([Int32(u), g.fanoutTarget[e], g.fanoutInverted[e] ? 1 : 0])
        }
    }
    #expect(forward == backward)
    #expect(forward.count == g.edgeCount)
}
