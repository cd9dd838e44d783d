import Foundation
import Testing
@testable import Store

/// The importers' part of the seeded fuzz step (see `Tests/NetlistTests/FuzzStepTests.swift`):
/// mutants of label CSV files, LOSTIN directories and OpenABC-D directories. An importer may
/// report problems or refuse a file, but must never trap, and every row it keeps has finite,
/// non-negative numbers (what the database and training rely on).
@Suite struct FuzzImportersTests {
    static let names = DesignNames([
        DesignRow(id: 1, hash: "h1", name: "d1", format: "aig", source: "d1.aig", inputs: 1, outputs: 1, latches: 0, ands: 1, levels: 1),
        DesignRow(id: 2, hash: "h2", name: "ac97_ctrl_orig", format: "bench", source: "a.bench", inputs: 1, outputs: 1, latches: 0, ands: 1, levels: 1),
    ])
    static let tokens = ["design", "flow", "delay", "area", "library", "status", "ok", "failed", "timeout", ",", "\"", "\"\"", "\n",
                         "\r\n", "sid", "write_bench", "balance", "rewrite -z", "resub -K 99", "rs", "b;", ";", "1e308", "-0", "1e-400",
                         "nan", "inf", "-1", "0", "99999999999999999999", "\u{feff}", "#", "d1", "ac97_ctrl"]

    static let csvSeeds = [
        "design,flow,delay,area\nd1,b; rw; rf,10.5,20\nac97_ctrl,\"balance; rewrite\",1,2\n",
        "design,flow,library,status,delay,area,ands,levels,seconds,abc_version\nd1,rs,lib,ok,1,2,3,4,0.5,\"ABC, 1.01\"\nd1,b,,failed,,,,,,\n",
    ]
    static let lostinSeeds = [["b;rw;rf;\nrwz;rfz;resub;resub -z;\n", "10.5\n0\n", "3.25\n0\n"], ["b;\n", "1\n2\n", "1\n"]]
    static let openabcdSeeds = [
        ["sid,area,delay\n0,10,20\n1,11,21\n", "read x.bench\nstrash\nwrite_bench a.bench\nbalance\nrewrite -z\nwrite_bench b.bench\n",
         "read x\nwrite_bench a\nrf # c\nwrite_bench b\nrs\nwrite_bench c\n"],
    ]

    func check(_ plan: LabelImportPlan) {
        for row in plan.batch.rows {
            for value in [row.delay, row.area, row.seconds].compactMap({ $0 }) {
                #expect(value.isFinite && value >= 0, "kept a row with \(value)")
            }
        }
    }

    @Test func labelCSVSurvivesSeededMutants() throws {
        var rng = FuzzMutator(seed: FuzzMutator.seed &+ 5)
        let seeds = Self.csvSeeds.map { Array($0.utf8) }
        for _ in 0..<FuzzMutator.cases(default: 3000) {
            let bytes = rng.mutant(of: seeds, dictionary: Self.tokens)
            do { check(try LabelCSV.parse(bytes, file: "fuzz.csv", designs: Self.names, library: "lib")) } catch {
                #expect(error.message.contains("fuzz.csv"), "\(error.message)")
            }
        }
    }

    @Test func lostinSurvivesSeededMutants() throws {
        try directories(seeds: Self.lostinSeeds, files: ["flow_20.csv", "area_ground_truth_d1_flow_20.csv", "delay_ground_truth_d1_flow_20.csv"],
                        seed: 6) { (d: String) throws(StoreError) -> LabelImportPlan in try LostinDataset.read(directory: d, designs: Self.names, library: "lib") }
    }

    @Test func openABCDSurvivesSeededMutants() throws {
        try directories(seeds: Self.openabcdSeeds, files: ["adp_ac97_ctrl.csv", "abc0.script", "abc1.script"],
                        seed: 7) { (d: String) throws(StoreError) -> LabelImportPlan in try OpenABCDDataset.read(directory: d, designs: Self.names, library: "lib") }
    }

    /// Mutates one file of a seed directory at a time and imports the directory.
    func directories(seeds: [[String]], files: [String], seed: UInt64, _ read: (String) throws(StoreError) -> LabelImportPlan) throws {
        var rng = FuzzMutator(seed: FuzzMutator.seed &+ seed)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for _ in 0..<FuzzMutator.cases(default: 1000) {
            let chosen = seeds[rng.below(seeds.count)]
            let k = rng.below(files.count)
            for (i, name) in files.enumerated() {
                let text = Array(chosen[i].utf8)
                let bytes = i == k ? rng.mutant(of: [text], dictionary: Self.tokens) : text
                try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
            }
            do { check(try read(dir)) } catch {
                #expect(error.message.contains(dir), "\(error.message)")
            }
        }
    }
}
