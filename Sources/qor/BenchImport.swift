import Common
import ArgumentParser
import Flows
import Foundation
import Netlist
import Store

struct BenchImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Time `qor import csv` of a synthetic label file, as a whole process.",
        discussion: """
            In a temporary directory, writes a few generated designs (ripple-carry adders), imports them \
            with `qor import designs`, writes a CSV in the `qor db export --csv` format with N rows \
            (every design against ceil(N / designs) distinct random 20-step flows), then times one \
            `qor import csv` process into that fresh database and checks that every row was stored.

            Example:
              qor bench import --rows 1000000 --json
            """
    )

    @Option(help: "Label rows in the generated CSV.")
    var rows = 1_000_000

    @Option(help: "Generated designs the rows are spread over.")
    var designs = 10

    @Flag(help: "Print one JSON object: rows, seconds, rows_per_second.")
    var json = false

    func validate() throws {
        try OptionCheck.count(rows, "rows", in: 1...100_000_000)
        guard (1...64).contains(designs) else { throw ValidationError("--designs must be in 1...64") }
    }

    func run() throws {
        try reportingErrors {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qor-bench-import-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir + "/designs", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let qor = ProcessTimer.currentExecutable
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
            let rate = Double(rows) / seconds
            if json {
                print("{\"rows\":\(rows),\"seconds\":\(seconds),\"rows_per_second\":\(rate)}")
            } else {
                print(String(format: "%d rows in %.2f s (%.0f rows/s)", rows, seconds, rate))
            }
        }
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
        let flows = Flow.distinctRandom(count: perDesign, length: 20, seed: 2024).map { CSVText.field($0.canonical) }
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

/// CSV quoting for the generated file.
private enum CSVText {
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
