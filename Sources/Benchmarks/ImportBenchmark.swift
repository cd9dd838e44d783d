import Common
import Flows
import Foundation
import Netlist
import Store

/// `qor bench import`: one `qor import csv` process of a synthetic label file into a fresh database
/// (generated adders imported first), timed as a whole; every row must be stored.
public enum ImportBenchmark {
    public struct Result: Sendable {
        public var rows: Int
        public var seconds: Double
        public var rowsPerSecond: Double { Double(rows) / seconds }
        public var json: String { "{\"rows\":\(rows),\"seconds\":\(seconds),\"rows_per_second\":\(rowsPerSecond)}" }
        public var text: String { String(format: "%d rows in %.2f s (%.0f rows/s)", rows, seconds, rowsPerSecond) }
    }

    /// `rows` labels over `designs` generated designs, imported by `qor` (the executable).
    public static func run(rows: Int, designs: Int, qor: String) throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qor-bench-import-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/designs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/bench.sqlite"
        var names: [String] = []
        for i in 0..<designs {
            let name = "adder_\(i + 2)"
            try FileIO.writeAtomically(AigerWriter.binary(Self.adder(width: i + 2)), to: "\(dir)/designs/\(name).aig")
            names.append(name)
        }
        _ = try ProcessTimer.output(qor, ["import", "designs", dir + "/designs", "--db", db, "--quiet"])
        let csv = dir + "/labels.csv"
        try Self.writeLabels(to: csv, designs: names, rows: rows)
        let seconds = try ProcessTimer.medianSeconds(qor, ["import", "csv", csv, "--db", db, "--quiet"], runs: 1)
        let stored = try Store(path: db).counts()["label"] ?? 0
        guard stored == rows else {
            throw StoreError(.io, "\(csv): \(stored) labels stored after the import, expected \(rows)")
        }
        return Result(rows: rows, seconds: seconds)
    }

    /// A ripple-carry adder of two `width`-bit inputs: width + 1 outputs.
    static func adder(width: Int) -> Aig {
        var b = AigBuilder()
        let x = (0..<width).map { _ in b.addInput() }
        let y = (0..<width).map { _ in b.addInput() }
        var carry = Literal.constantFalse
        for i in 0..<width {
            b.addOutput(b.xor(b.xor(x[i], y[i]), carry))
            carry = b.or(b.and(x[i], y[i]), b.and(carry, b.xor(x[i], y[i])))
        }
        b.addOutput(carry)
        return b.finish()
    }

    /// `rows` labels in the export format: each design against distinct random flows, in turn.
    static func writeLabels(to path: String, designs: [String], rows: Int) throws {
        let perDesign = (rows + designs.count - 1) / designs.count
        let flows = Flow.distinctRandom(count: perDesign, length: 20, seed: 2024).map { CSVText.quote($0.canonical) }
        var random = SplitMix64(seed: 7)
        var out = "design,flow,library,status,delay,area,ands,levels,seconds,abc_version\n"
        out.reserveCapacity(rows * 200)
        var n = 0
        for d in designs {
            for f in flows where n < rows {
                let delay = 100 + Double(random.next(below: 100_000)) / 100
                let area = 50 + Double(random.next(below: 100_000)) / 100
                out += "\(d),\(f),nangate45,ok,\(delay),\(area),\(random.next(below: 5000)),\(random.next(below: 60)),0.25,ABC 1.01\n"
                n += 1
            }
        }
        guard n == rows else { throw StoreError(.io, "generated \(n) rows, expected \(rows)") }
        try FileIO.writeAtomically(Array(out.utf8), to: path)
    }
}
