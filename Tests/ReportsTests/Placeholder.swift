import Testing
@Test func ReportsPlaceholder() { #expect(Bool(true)) }
