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
