/// The parsed form of structural Verilog, before elaboration.
enum VerilogSyntax {
    /// A constant: bits least significant first; `sized` is false for plain and `'d` integers without a size.
    struct Constant: Equatable {
        var bits: [Bool]
        var sized: Bool
    }

    indirect enum Expression {
        case name(String, line: Int)
        case bit(String, Int, line: Int)
        case part(String, msb: Int, lsb: Int, line: Int)
        case constant(Constant)
        /// `~` (bitwise) or a reduction `&`, `|`, `^`, `~&`, `~|`, `~^`, or `!`.
        case unary(String, Expression)
        /// A chain of one bitwise or logical operator: `& | ^ ~^ && ||`.
        case chain(String, [Expression])
        case ternary(Expression, Expression, Expression)
        case concat([Expression])
        case replicate(Int, [Expression])
    }

    enum Direction: Equatable {
        case input, output
    }

    struct Range: Equatable {
        var msb: Int
        var lsb: Int
        var width: Int { abs(msb - lsb) + 1 }
        /// Position (0 = least significant) of the bit with index `i`, or nil when out of range.
        func position(of i: Int) -> Int? {
            let p = msb >= lsb ? i - lsb : lsb - i
            return p >= 0 && p < width ? p : nil
        }
        /// Declared index of the bit at position `p`.
        func index(at p: Int) -> Int { msb >= lsb ? lsb + p : lsb - p }
    }

    struct Declaration {
        var name: String
        var direction: Direction?
        var range: Range?
        var line: Int
    }

    struct Assign {
        var target: Expression
        var value: Expression
        var line: Int
    }

    enum Connections {
        case positional([Expression?])
        case named([(port: String, value: Expression?, line: Int)])
    }

    /// A gate primitive (`and`, `not`, ...) or an instance of a module of the file.
    struct Instance {
        var type: String
        var name: String
        var connections: Connections
        var line: Int
    }

    struct Module {
        var name: String
        var line: Int
        /// Port names in the order of the header.
        var ports: [String] = []
        var declarations: [Declaration] = []
        var assigns: [Assign] = []
        var instances: [Instance] = []
    }

    static let primitives: Set<String> = ["and", "or", "nand", "nor", "xor", "xnor", "not", "buf"]
}
