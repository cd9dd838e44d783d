import Foundation
import Netlist

/// Peak memory of `qor predict` per design, as bytes per AND: the whole process's peak RSS over the
/// design's ANDs, and the growth over a tiny baseline design's peak (what the design itself costs,
/// without the process's fixed part: runtime, libraries, weights).
public struct MemoryBenchResult: Sendable, Codable, Equatable {
    public struct Reading: Sendable, Codable, Equatable {
        public var design: String
        public var ands: Int
        public var peakBytes: Int
        /// `peakBytes / ands`.
        public var bytesPerAND: Double
        /// `(peakBytes - baseline peak) / ands`.
        public var marginalBytesPerAND: Double
    }

    public var flow: String
    public var model: String?
    public var baseline: Reading
    public var designs: [Reading]

    /// Runs `executable predict D --flow F --no-save [--model M]` once per design (the baseline first),
    /// each in a fresh process; give the designs smallest first, so that this process stays smaller than each child.
    public static func measure(executable: String, designs: [String], baseline: String, model: String?, flow: String,
                               readOptions: ReadOptions = ReadOptions(), progress: (String) -> Void = { _ in }) throws -> MemoryBenchResult {
        func reading(_ design: String, base: Int?) throws -> Reading {
            progress("qor predict \(design)")
            // Spawned before this process reads the design: its own high-water RSS would carry into the child's.
            let peak = try PeakMemory.of(executable: executable,
                                         arguments: ["predict", design, "--flow", flow, "--no-save"] + (model.map { ["--model", $0] } ?? []))
            let ands = try DesignReader.read(path: design, options: readOptions).andCount
            let n = Double(max(1, ands))
            return Reading(design: design, ands: ands, peakBytes: peak, bytesPerAND: Double(peak) / n,
                           marginalBytesPerAND: Double(peak - (base ?? peak)) / n)
        }
        let base = try reading(baseline, base: nil)
        return MemoryBenchResult(flow: flow, model: model, baseline: base, designs: try designs.map { try reading($0, base: base.peakBytes) })
    }
}
