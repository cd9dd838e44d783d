import Common
import Flows
import Foundation
import Netlist
import Synthesis

/// `qor bench label`: `qor label` against a bare shell loop running the identical ABC scripts
/// (`xargs -P JOBS berkeley-abc -s -f`) on the same designs, flows and library; or, with `slurm`,
/// a Slurm array against the local labeller on the same keys (``SlurmLabelBench``).
public struct LabelBenchmark: Sendable {
    public var designs: [String]
    /// Flows to label (nil: 8 seeded random flows of 20 steps).
    public var flows: String?
    public var jobs: Int
    public var maxAnds: Int
    /// Array tasks of the Slurm side; nil: the shell-loop comparison.
    public var slurmArraySize: Int?
    public var qor: String

    public init(designs: [String], flows: String?, jobs: Int, maxAnds: Int, slurmArraySize: Int?, qor: String) {
        self.designs = designs
        self.flows = flows
        self.jobs = jobs
        self.maxAnds = maxAnds
        self.slurmArraySize = slurmArraySize
        self.qor = qor
    }

    /// The measurement as one line: JSON when `json` (always JSON for the Slurm comparison).
    public func run(json: Bool) throws -> String {
        let flowList = try flows.map { try Flow.loadList(contentsOf: $0) } ?? Flow.distinctRandom(count: 8, length: 20, seed: 1)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qor-bench-label-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        // The designs as qor stores them, written once for the shell side.
        var aigPaths: [String] = []
        for file in try DesignFiles.collect(designs) where file.hasSuffix(".aig") {
            let aig = try DesignReader.read(path: file)
            guard aig.andCount <= maxAnds else { continue }
            let path = "\(dir)/\(aigPaths.count).aig"
            try FileIO.writeAtomically(AigerWriter.binary(aig), to: path)
            aigPaths.append(path)
        }
        let flowsPath = "\(dir)/flows.txt"
        try flowList.map(\.canonical).joined(separator: "\n").write(toFile: flowsPath, atomically: true, encoding: .utf8)
        if let slurmArraySize {
            return try SlurmLabelBench.run(qor: qor, designs: aigPaths, flowsPath: flowsPath, dir: dir, jobs: jobs, arraySize: slurmArraySize)
        }
        let qorStart = DispatchTime.now().uptimeNanoseconds
        _ = try ProcessTimer.output(
            qor, ["label", "--db", "\(dir)/bench.sqlite", "--flows", flowsPath, "--jobs", "\(jobs)", "--quiet", "--designs"] + aigPaths)
        let qorSeconds = ProcessTimer.seconds(since: qorStart)

        let driver = AbcDriver()
        var scripts: [String] = []
        for (d, design) in aigPaths.enumerated() {
            for (f, flow) in flowList.enumerated() {
                let path = "\(dir)/s\(d)-\(f).abc"
                try driver.script(design: design, flow: flow, library: .nangate45).write(toFile: path, atomically: true, encoding: .utf8)
                scripts.append(path)
            }
        }
        let list = "\(dir)/scripts.txt"
        try scripts.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
        let abc = try ProcessTimer.tool("berkeley-abc")
        let shellStart = DispatchTime.now().uptimeNanoseconds
        _ = try ProcessTimer.output("/bin/sh", ["-c", "xargs -P \(jobs) -n 1 \(abc) -s -f < '\(list)' > /dev/null"])
        let shellSeconds = ProcessTimer.seconds(since: shellStart)

        let runs = scripts.count
        let ratio = qorSeconds / shellSeconds
        if json {
            return "{\"runs\":\(runs),\"jobs\":\(jobs),\"qor_seconds\":\(qorSeconds),\"shell_seconds\":\(shellSeconds),\"ratio\":\(ratio),\"qor_runs_per_second\":\(Double(runs) / qorSeconds)}"
        }
        return String(format: "%d ABC runs, %d jobs: qor label %.2f s, shell loop %.2f s, ratio %.3f", runs, jobs, qorSeconds, shellSeconds, ratio)
    }
}
