import Testing
@Test func FlowsPlaceholder() { #expect(Bool(true)) }
