/// An AIGER literal: twice the variable index plus a complement bit. Variable 0 is constant false.
public struct Literal: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var raw: UInt32

    @inlinable public init(raw: UInt32) { self.raw = raw }
    @inlinable public init(variable: UInt32, complemented: Bool = false) {
        raw = variable << 1 | (complemented ? 1 : 0)
    }

    public static let constantFalse = Literal(raw: 0)
    public static let constantTrue = Literal(raw: 1)

    @inlinable public var variable: UInt32 { raw >> 1 }
    @inlinable public var isComplemented: Bool { raw & 1 == 1 }
    @inlinable public var isConstant: Bool { raw < 2 }
    @inlinable public var regular: Literal { Literal(raw: raw & ~1) }
    @inlinable public static prefix func ! (l: Literal) -> Literal { Literal(raw: l.raw ^ 1) }
    @inlinable public func complemented(if c: Bool) -> Literal { Literal(raw: raw ^ (c ? 1 : 0)) }
    @inlinable public static func < (a: Literal, b: Literal) -> Bool { a.raw < b.raw }

    public var description: String { String(raw) }
}
