import Foundation
import Testing

// Issue 11 item 11: output that cannot be written (a full disk, a pipe nobody reads, a closed
// descriptor) is an I/O error, exit 74 with a message on standard error, never exit 0 with the
// output lost.

/// Where standard output goes.
enum OutputSink: String, CaseIterable, CustomStringConvertible, Sendable {
    case full, closedPipe
    var description: String { rawValue }
}

/// Runs qor with standard output sent to `sink`; returns the status and standard error.
private func qor(_ arguments: [String], to sink: OutputSink) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: qorBinary)
    process.arguments = arguments
    let keep: Pipe?
    switch sink {
    case .full:
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { throw CocoaError(.fileNoSuchFile) }
        process.standardOutput = full
        keep = nil
    case .closedPipe:
        // The reading end is closed before qor starts: every write fails with EPIPE (or SIGPIPE).
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        process.standardOutput = pipe
        keep = pipe
    }
    let err = Pipe()
    process.standardError = err
    try process.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    _ = keep
    // A death by SIGPIPE shows as the signal number; it is not an answer either.
    let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    return (status, String(decoding: data, as: UTF8.self))
}

/// Commands that print, each with what it needs.
private func printingCommands(_ dir: String) throws -> [(name: String, arguments: [String])] {
    let db = try databaseWithDesigns(dir)
    let design = repositoryRoot + "/designs/gen/adder_8.aig"
    let model = repositoryRoot + "/db/default.safetensors"
    try "b; rw; rf\nrwz; b\nrf; rs\n".write(toFile: dir + "/flows.txt", atomically: true, encoding: .utf8)
    try "design,flow,true_delay,true_area,pred_delay,pred_area\na,x,10,100,11,100\na,y,20,200,19,220\n"
        .write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
    return [
        ("stats", ["stats", design]),
        ("stats --json", ["stats", "--json", design]),
        ("db info", ["db", "info", "--db", db]),
        ("db info --json", ["db", "info", "--json", "--db", db]),
        ("predict", ["predict", design, "--flow", "b; rw", "--model", model, "--no-save"]),
        ("predict --flows --json", ["predict", design, "--flows", dir + "/flows.txt", "--model", model, "--no-save", "--json"]),
        ("rank", ["rank", design, "--flows", dir + "/flows.txt", "--model", model]),
        ("report", ["report", "--model", "ext", "--split", "flows", "--out", dir + "/report", "--predictions", dir + "/p.csv"]),
        ("import --json", ["import", "designs", repositoryRoot + "/designs/gen/mult_4.aig", "--db", db, "--json", "--quiet"]),
        ("help", ["--help"]),
    ]
}

@Test(arguments: OutputSink.allCases)
func lostStandardOutputExits74WithAMessage(_ sink: OutputSink) throws {
    let dir = try temporaryDirectory()
    for command in try printingCommands(dir) {
        let r = try qor(command.arguments, to: sink)
        #expect(r.status == 74, "\(command.name) > \(sink): \(r.status) \(r.stderr)")
        let reason = sink == .full ? "No space left on device" : "Broken pipe"
        #expect(r.stderr.contains("qor: error: standard output: cannot write (\(reason))"), "\(command.name): \(r.stderr)")
    }
}

@Test func closedStandardOutputDescriptorExits74() throws {
    // `qor stats F >&-`: descriptor 1 closed.
    let r = try run("/bin/sh", ["-c", "exec \"$0\" stats \"$1\" >&-", qorBinary, repositoryRoot + "/designs/gen/adder_8.aig"])
    #expect(r.status == 74, "\(r.stderr)")
    #expect(r.stderr.contains("qor: error: standard output: cannot write (Bad file descriptor)"))
}

@Test func writableStandardOutputStillExits0() throws {
    let r = try qor("stats", repositoryRoot + "/designs/gen/adder_8.aig")
    #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
    #expect(r.stdout.contains("adder_8"))
}
