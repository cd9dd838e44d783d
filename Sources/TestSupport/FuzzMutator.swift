import Common
import Foundation

/// A seeded byte mutator (SplitMix64): flips, insertions of tokens and hostile numbers,
/// deletions, duplications and splices of two seeds.
public struct FuzzMutator {
    public static let seed: UInt64 = ProcessInfo.processInfo.environment["QOR_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5EED_0011
    public static func cases(default n: Int) -> Int { ProcessInfo.processInfo.environment["QOR_FUZZ_CASES"].flatMap(Int.init) ?? n }

    public static let hostile = ["0", "-1", "4294967295", "2147483648", "99999999999999999999", "1e308", "nan", "inf", "\u{0}", "\n", ";", "\"", "0x1F"]
    public static let designTokens = hostile + [
        "aag ", "aig ", "INPUT(", "OUTPUT(", " = AND(", " = LUT 0x", " = DFF(", ")", ",", "module ", "endmodule", "input ",
        "output ", "wire ", "assign ", "[", ":", "]", "{", "}", ".model ", ".inputs ", ".outputs ", ".names ", ".latch ", ".end",
        "1- 1\n", "-1 1\n",
    ]

    private var random: SplitMix64
    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(random.next() % UInt64(n)) }

    /// One to four mutations of a randomly chosen seed.
    public mutating func mutant(of seeds: [[UInt8]], dictionary: [String]) -> [UInt8] {
        var b = seeds[below(seeds.count)]
        for _ in 0...below(4) {
            let at = below(b.count + 1)
            switch below(6) {
            case 0 where !b.isEmpty: b[min(at, b.count - 1)] ^= UInt8(1 << below(8))
            case 1: b.insert(contentsOf: Array(dictionary[below(dictionary.count)].utf8), at: at)
            case 2 where !b.isEmpty:
                let end = min(b.count, at + 1 + below(64))
                b.removeSubrange(min(at, end)..<end)
            case 3 where !b.isEmpty:
                let start = below(b.count), end = min(b.count, start + 1 + below(256))
                b.insert(contentsOf: b[start..<end], at: at)
            case 4:
                let other = seeds[below(seeds.count)]
                let cut = below(other.count + 1)
                b = Array(b.prefix(at)) + other[cut...]
            default:
                b.insert(contentsOf: Array(Self.hostile[below(Self.hostile.count)].utf8), at: at)
            }
        }
        return b
    }

    public func describe(_ bytes: [UInt8]) -> String {
        "mutant of \(bytes.count) bytes: \(String(decoding: bytes.prefix(200), as: UTF8.self))"
    }
}
