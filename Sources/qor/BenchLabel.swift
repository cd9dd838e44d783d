import ArgumentParser
import Flows
import Foundation
import Netlist
import Synthesis

struct BenchLabel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Time `qor label` against a bare shell loop running the same ABC scripts with the same parallelism.",
        discussion: """
            Both sides run the identical ABC scripts (same design files as qor stores them, same flows, \
            same library) on a fresh database; the shell side is `xargs -P JOBS berkeley-abc -s -f`. \
            ratio = qor / shell (1.05 means qor is 5% slower).

            Example:
              qor bench label --designs designs/gen --flows flows/resyn2.flow --jobs 2 --json
              qor bench label --slurm --array-size 8 --jobs 2 --json
            """
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Design files or directories (default: designs/gen/*.aig).")
    var designs: [String] = ["designs/gen"]

    @Option(help: "File of flows, one a line (default: 8 seeded random flows of 20 steps).")
    var flows: String?

    @Option(help: "Parallel ABC processes.") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Label only designs with at most this many AND gates.") var maxAnds: Int = 2000
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Instead: a Slurm array (qor label --slurm --wait) against local --jobs JOBS on the same keys.") var slurm = false
    @Option(help: "With --slurm: array tasks.") var arraySize = 8

    func validate() throws {
        try OptionCheck.count(jobs, "jobs", in: OptionCheck.jobs)
        try OptionCheck.count(maxAnds, "max-ands", in: 0...Int(Int32.max))
    }

    func run() throws {
        try reportingErrors {
            let flowList = try flows.map { try Flow.loadList(contentsOf: $0) }
                ?? Flow.distinctRandom(count: 8, length: 20, seed: 1)
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

            let qor = ProcessTimer.currentExecutable
            if slurm {
                return print(try SlurmLabelBench.run(
                    qor: qor, designs: aigPaths, flowsPath: flowsPath, dir: dir, jobs: jobs, arraySize: arraySize))
            }
            let qorStart = DispatchTime.now().uptimeNanoseconds
            _ = try ProcessTimer.output(
                qor, ["label", "--db", "\(dir)/bench.sqlite", "--flows", flowsPath, "--jobs", "\(jobs)", "--quiet", "--designs"] + aigPaths)
            let qorSeconds = Double(DispatchTime.now().uptimeNanoseconds - qorStart) / 1e9

            let driver = AbcDriver()
            var scripts: [String] = []
            for (d, design) in aigPaths.enumerated() {
                for (f, flow) in flowList.enumerated() {
                    let path = "\(dir)/s\(d)-\(f).abc"
                    try driver.script(design: design, flow: flow, library: .nangate45)
                        .write(toFile: path, atomically: true, encoding: .utf8)
                    scripts.append(path)
                }
            }
            let list = "\(dir)/scripts.txt"
            try scripts.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
            let abc = try ProcessTimer.tool("berkeley-abc")
            let shellStart = DispatchTime.now().uptimeNanoseconds
            _ = try ProcessTimer.output(
                "/bin/sh", ["-c", "xargs -P \(jobs) -n 1 \(abc) -s -f < '\(list)' > /dev/null"])
            let shellSeconds = Double(DispatchTime.now().uptimeNanoseconds - shellStart) / 1e9

            let runs = scripts.count
            let ratio = qorSeconds / shellSeconds
            if json {
                print("{\"runs\":\(runs),\"jobs\":\(jobs),\"qor_seconds\":\(qorSeconds),\"shell_seconds\":\(shellSeconds),\"ratio\":\(ratio),\"qor_runs_per_second\":\(Double(runs) / qorSeconds)}")
            } else {
                print(String(format: "%d ABC runs, %d jobs: qor label %.2f s, shell loop %.2f s, ratio %.3f", runs, jobs, qorSeconds, shellSeconds, ratio))
            }
        }
    }
}
