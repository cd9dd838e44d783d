import Foundation
import Testing
@testable import Netlist

/// The seeded fuzz step of the test suite (issue 11): mutants of every small design file of
/// `designs/` (and `../shared/designs` where present), in all five formats, read by every reader.
/// A reader may refuse a mutant with a typed error but must never trap; what it accepts must
/// survive a round trip through binary AIGER with the same counts (the writer and the AIGER
/// reader are the oracle). `scripts/fuzz.sh SECONDS` is the long, coverage-guided counterpart.
/// `QOR_FUZZ_CASES` (per format) and `QOR_FUZZ_SEED` change the run; the defaults are fixed.
@Suite struct FuzzStepTests {
    static let formats = ["aag", "aig", "bench", "v", "blif"]

    @Test(arguments: formats)
    func readersSurviveSeededMutants(format: String) throws {
        let seeds = try FuzzSeeds.designs(format)
        try #require(!seeds.isEmpty, "no \(format) seeds")
        var rng = FuzzMutator(seed: FuzzMutator.seed &+ UInt64(format.utf8.reduce(0) { $0 &* 31 &+ Int($1) }))
        var accepted = 0, refused = 0
        for _ in 0..<FuzzMutator.cases(default: 3000) {
            let bytes = rng.mutant(of: seeds, dictionary: FuzzMutator.designTokens)
            let file = "fuzz.\(format)"
            do {
                let aig = try DesignReader.read(bytes: bytes, file: file, options: ReadOptions(frontend: .builtin))
                accepted += 1
                let again = try DesignReader.read(bytes: AigerWriter.binary(aig), file: "again.aig")
                #expect(again.inputCount == aig.inputCount && again.latchCount == aig.latchCount, "\(rng.describe(bytes))")
                #expect(again.outputs.count == aig.outputs.count && again.andCount == aig.andCount, "\(rng.describe(bytes))")
            } catch {
                refused += 1
                #expect(error.description.contains(file), "error without the file name: \(error)")
            }
        }
        print("fuzz \(format): \(accepted + refused) cases, \(accepted) accepted, \(refused) refused, 0 crashes")
    }
}

/// Seed files for the fuzz step.
enum FuzzSeeds {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Files of one extension up to 16 KB; `.aag` seeds are written from the `.aig` ones.
    static func designs(_ format: String) throws -> [[UInt8]] {
        var roots = [repository + "/designs"]
        let shared = (repository as NSString).deletingLastPathComponent + "/shared/designs"
        if FileManager.default.fileExists(atPath: shared) { roots.append(shared) }
        var out: [[UInt8]] = []
        for root in roots {
            guard let walk = FileManager.default.enumerator(atPath: root) else { continue }
            for relative in (walk.allObjects as? [String] ?? []).sorted() {
                let ext = (relative as NSString).pathExtension
                guard ext == format || (format == "aag" && ext == "aig") else { continue }
                guard let data = FileManager.default.contents(atPath: root + "/" + relative), data.count <= 16_384 else { continue }
                if format == "aag" {
                    out.append(AigerWriter.ascii(try DesignReader.read(bytes: [UInt8](data), file: relative)))
                } else {
                    out.append([UInt8](data))
                }
            }
        }
        return out
    }
}

/// A seeded byte mutator (SplitMix64): flips, insertions of tokens and hostile numbers,
/// deletions, duplications and splices of two seeds.
struct FuzzMutator {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["QOR_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5EED_0011
    static func cases(default n: Int) -> Int { ProcessInfo.processInfo.environment["QOR_FUZZ_CASES"].flatMap(Int.init) ?? n }

    static let hostile = ["0", "-1", "4294967295", "2147483648", "99999999999999999999", "1e308", "nan", "inf", "\u{0}", "\n", ";", "\"", "0x1F"]
    static let designTokens = hostile + [
        "aag ", "aig ", "INPUT(", "OUTPUT(", " = AND(", " = LUT 0x", " = DFF(", ")", ",", "module ", "endmodule", "input ",
        "output ", "wire ", "assign ", "[", ":", "]", "{", "}", ".model ", ".inputs ", ".outputs ", ".names ", ".latch ", ".end",
        "1- 1\n", "-1 1\n",
    ]

    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// One to four mutations of a randomly chosen seed.
    mutating func mutant(of seeds: [[UInt8]], dictionary: [String]) -> [UInt8] {
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

    func describe(_ bytes: [UInt8]) -> String {
        "mutant of \(bytes.count) bytes: \(String(decoding: bytes.prefix(200), as: UTF8.self))"
    }
}
