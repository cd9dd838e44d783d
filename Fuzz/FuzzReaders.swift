// libFuzzer target for the design readers; built and run by scripts/fuzz.sh, never by the tests.
// The first input byte picks the file extension (aag, aig, bench, v, blif), the rest is the
// file. A reader may reject any input with an error, but must never trap.

private let extensions = ["aag", "aig", "bench", "v", "blif"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReaders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let ext = extensions[Int(data[0]) % extensions.count]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    // The built-in Verilog frontend only: spawning yosys per input would be far too slow.
    _ = try? DesignReader.read(bytes: bytes, file: "fuzz.\(ext)", options: ReadOptions(frontend: .builtin))
    return 0
}
