// libFuzzer target for every reader and importer; built and run by scripts/fuzz.sh (the seeded
// in-suite fuzz step is Tests/StoreTests/FuzzStepTests.swift). The first input byte picks the
// format: 0 aag, 1 aig, 2 bench, 3 v, 4 blif (the rest is the design file); 5 a label CSV;
// 6 a LOSTIN directory and 7 an OpenABC-D directory, whose files are the rest of the input cut at
// 0x1E bytes. A reader may reject any input with an error, but must never trap.
// scripts/fuzz.sh compiles Netlist, Flows and the database-free Store files as one module.
import Foundation

private let extensions = ["aag", "aig", "bench", "v", "blif"]
private let names = DesignNames([
    DesignRow(id: 1, hash: "h1", name: "d1", format: "aig", source: "d1.aig", inputs: 1, outputs: 1, latches: 0, ands: 1, levels: 1),
    DesignRow(id: 2, hash: "h2", name: "ac97_ctrl_orig", format: "bench", source: "a.bench", inputs: 1, outputs: 1, latches: 0, ands: 1, levels: 1),
])
private let directory: String = {
    let dir = NSTemporaryDirectory() + "qor-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}()

/// Writes `parts` to `files` in a fresh directory (missing parts leave their file out).
private func layout(_ parts: [ArraySlice<UInt8>], _ files: [String]) {
    try? FileManager.default.removeItem(atPath: directory)
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for (part, file) in zip(parts, files) {
        _ = FileManager.default.createFile(atPath: directory + "/" + file, contents: Data(part))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReaders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let selector = Int(data[0]) % 8
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch selector {
    case 0..<5:
        // The built-in Verilog frontend only: spawning yosys per input would be far too slow.
        _ = try? DesignReader.read(
            bytes: bytes, file: "fuzz.\(extensions[selector])", options: ReadOptions(frontend: .builtin))
    case 5:
        _ = try? LabelCSV.parse(bytes, file: "fuzz.csv", designs: names, library: "lib")
    case 6:
        let parts = bytes.split(separator: 0x1E, maxSplits: 2, omittingEmptySubsequences: false)
        layout(parts, ["flow_20.csv", "area_ground_truth_d1_flow_20.csv", "delay_ground_truth_d1_flow_20.csv"])
        _ = try? LostinDataset.read(directory: directory, designs: names, library: "lib")
    default:
        let parts = bytes.split(separator: 0x1E, maxSplits: 2, omittingEmptySubsequences: false)
        layout(parts, ["adp_ac97_ctrl.csv", "abc0.script", "abc1.script"])
        _ = try? OpenABCDDataset.read(directory: directory, designs: names, library: "lib")
    }
    return 0
}
