import Testing
@Test func TensorPlaceholder() { #expect(Bool(true)) }
