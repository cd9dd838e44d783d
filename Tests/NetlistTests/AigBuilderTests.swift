import Testing
@testable import Netlist

@Test func builderSimplifiesTrivialCases() {
    var b = AigBuilder()
    let x = b.addInput()
    let y = b.addInput()
    #expect(b.and(x, .constantFalse) == .constantFalse)
    #expect(b.and(x, .constantTrue) == x)
    #expect(b.and(x, x) == x)
    #expect(b.and(x, !x) == .constantFalse)
    #expect(b.and(x, y) == b.and(y, x))
    b.addOutput(b.and(x, y))
    let aig = b.finish()
    #expect(aig.andCount == 1)
    #expect(aig.depth == 1)
}

