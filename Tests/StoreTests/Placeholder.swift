import Testing
@Test func StorePlaceholder() { #expect(Bool(true)) }
