import ArgumentParser
import Foundation
import Netlist

struct BenchParse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Time reading a design: a whole `qor stats FILE` process against `berkeley-abc -c \"read FILE\"`.",
        discussion: """
            Each side is run once to warm the caches and check that it reads the file, then timed over N \
            runs; the medians are reported, with ratio = qor / abc (below 1: qor is faster).

            Example:
              qor bench parse ../shared/designs/epfl/arithmetic/hyp.aig --runs 7 --json
            """
    )

    @Argument(help: "Design file to read.")
    var file: String

    @Option(help: "Timed runs per side; the median is reported.")
    var runs = 7

    @Flag(help: "Print one JSON object: file, qor_seconds, abc_seconds, ratio.")
    var json = false

    func validate() throws {
        try OptionCheck.count(runs, "runs", in: 1...10_000)
    }

    func run() throws {
        try reportingErrors {
            guard FileManager.default.fileExists(atPath: file) else { throw NetlistError(.missingFile, file: file, "no such file") }
            let qor = ProcessTimer.currentExecutable
            let abc = try ProcessTimer.tool("berkeley-abc")
            let qorArguments = ["stats", file]
            let abcArguments = ["-c", "read \(file)"]
            _ = try ProcessTimer.output(qor, qorArguments)
            let abcText = try ProcessTimer.output(abc, abcArguments)
            let complaints = abcText.split(separator: "\n").filter { !$0.hasPrefix("ABC command line") && !$0.allSatisfy(\.isWhitespace) }
            if !complaints.isEmpty {
                throw NetlistError(file: file, "ABC cannot read it: \(complaints.joined(separator: " "))")
            }
            let qorSeconds = try ProcessTimer.medianSeconds(qor, qorArguments, runs: runs)
            let abcSeconds = try ProcessTimer.medianSeconds(abc, abcArguments, runs: runs)
            let ratio = qorSeconds / abcSeconds
            if json {
                print("{\"file\":\(jsonQuoted(file)),\"qor_seconds\":\(qorSeconds),\"abc_seconds\":\(abcSeconds),\"ratio\":\(ratio)}")
            } else {
                let numbers = String(format: "qor %.4f s, abc %.4f s, ratio %.3f", qorSeconds, abcSeconds, ratio)
                print("\(file): \(numbers) (median of \(runs) runs)")
            }
        }
    }
}
