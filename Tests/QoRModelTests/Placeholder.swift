import Testing
@Test func QoRModelPlaceholder() { #expect(Bool(true)) }
