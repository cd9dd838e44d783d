import Foundation
import Testing

/// Issue 11 ("nothing lost, ever"): what a hostile but fair user tries, item by item. Each test
/// failed (or trapped) before the fix it names.
@Suite struct HostileInputTests {
    static let abc = FileManager.default.isExecutableFile(atPath: Tools.abc)
    static let sqlite3 = FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")
    let adder = repositoryRoot + "/designs/gen/adder_8.bench"

    func sql(_ db: String, _ query: String) throws -> String {
        try run("/usr/bin/sqlite3", [db, query]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Directories qor leaves in `tmp` (its cache of library files aside).
    func leftovers(_ tmp: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: tmp).filter { $0 != "qor-libs" }
    }

    // MARK: 5

    /// Two lines that mean the same flow (`b`, `balance`) trapped with "Duplicate values for
    /// key", left the run "running" and the temporary directory behind.
    @Test(.enabled(if: abc && sqlite3)) func duplicateFlowsAreMergedWithANotice() throws {
        let dir = try temporaryDirectory()
        let tmp = try temporaryDirectory()
        try "b\nrw; rf\nbalance\n".write(toFile: dir + "/f.flow", atomically: true, encoding: .utf8)
        let r = try qor("label", "--designs", adder, "--flows", dir + "/f.flow", "--db", dir + "/q.sqlite", "--jobs", "1",
                        environment: ["TMPDIR": tmp])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("\(dir)/f.flow:3: same flow as line 1 (balance), merged"), "\(r.stderr)")
        #expect(try sql(dir + "/q.sqlite", "SELECT count(*) FROM label WHERE status = 'ok'") == "2")
        #expect(try sql(dir + "/q.sqlite", "SELECT status FROM run") == "ok")
        #expect(try leftovers(tmp) == [])
    }

    /// A missing ABC is found before a run is recorded (it used to be found after the run row
    /// and the designs were written); errors after that point end the run as failed (Label.swift).
    @Test(.enabled(if: abc)) func missingABCIsFoundBeforeAnythingIsStored() throws {
        let dir = try temporaryDirectory()
        try "b\n".write(toFile: dir + "/f.flow", atomically: true, encoding: .utf8)
        let r = try qor("label", "--designs", adder, "--flows", dir + "/f.flow", "--db", dir + "/q.sqlite",
                        environment: ["PATH": "/nonexistent"])
        #expect(r.status == 69, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/q.sqlite"))
    }

    /// A label run that fails after it was recorded is ended as failed, not left "running" (LUT
    /// mapping needs no library file, so the missing ABC is found after the run row).
    @Test(.enabled(if: sqlite3)) func failedLabelRunIsNotLeftRunning() throws {
        let dir = try temporaryDirectory()
        try "b\n".write(toFile: dir + "/f.flow", atomically: true, encoding: .utf8)
        let r = try qor("label", "--designs", adder, "--flows", dir + "/f.flow", "--lut", "6", "--db", dir + "/q.sqlite",
                        environment: ["PATH": "/nonexistent"])
        #expect(r.status == 69, "\(r.stderr)")
        #expect(try sql(dir + "/q.sqlite", "SELECT status FROM run") == "failed")
    }

    // MARK: 6, 10, 17: numeric options

    @Test(arguments: [
        ["label", "--timeout", "inf"], ["label", "--timeout", "1e300"], ["label", "--timeout", "0"],
        ["label", "--timeout", "nan"], ["label", "--timeout", "-1"], ["label", "--jobs", "0"], ["label", "--max-ands", "-1"],
        ["train", "--learning-rate", "nan"], ["train", "--learning-rate", "inf"], ["train", "--learning-rate", "0"],
        ["train", "--epochs", "0"], ["train", "--designs-per-step", "0"], ["train", "--flows-per-design", "0"],
        ["rank", "x.aig", "--flows", "f", "--top", "0"], ["rank", "x.aig", "--flows", "f", "--jobs", "0"],
        ["predict", "x.aig", "--flow", "b", "--anchor", "0"], ["predict", "x.aig", "--flow", "b", "--jobs", "-3"],
        ["report", "--model", "m", "--split", "flows", "--out", "o", "--anchor", "-1"],
        ["bench", "import", "--rows", "0"], ["bench", "parse", "x.aig", "--runs", "0"],
    ])
    func badNumberIsAUsageError(arguments: [String]) throws {
        let dir = try temporaryDirectory()
        var args = arguments
        if args[0] == "label" { args += ["--designs", adder, "--flows", dir + "/none.flow"] }
        let r = try qor(args + ["--db", dir + "/q.sqlite"], cwd: dir)
        #expect(r.status == 64, "\(arguments): \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/q.sqlite"))
    }

    // MARK: 17

    @Test func nameCannotLeaveTheOutputDirectory() throws {
        let dir = try temporaryDirectory()
        for name in ["../../x", "a/b", "..", ".hidden", ""] {
            let r = try qor("train", "--name", name, "--out", dir + "/models", "--db", dir + "/q.sqlite")
            #expect(r.status == 64, "--name '\(name)': \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/q.sqlite"))
    }

    /// A database in a directory that does not exist is refused (66) and no directory is made.
    @Test func databaseInAMissingDirectoryIsRefused() throws {
        let dir = try temporaryDirectory()
        let r = try qor("import", "designs", adder, "--db", dir + "/no/such/q.sqlite")
        #expect(r.status == 66, "\(r.stderr)")
        #expect(r.stderr.contains(dir + "/no/such"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/no"))
    }

    /// A 5 MB field is quoted by its first 80 characters, not whole.
    @Test func hugeCSVFieldIsCutInTheMessage() throws {
        let dir = try temporaryDirectory()
        let db = try databaseWithDesigns(dir)
        let huge = String(repeating: "x", count: 5_000_000)
        try ("design,flow,delay,area\nadder_8,b,\(huge),1\nadder_8,\(huge),1,1\n\(huge),b,1,1\n")
            .write(toFile: dir + "/x.csv", atomically: true, encoding: .utf8)
        let r = try qor("import", "csv", dir + "/x.csv", "--db", db)
        #expect(r.status == 65)
        #expect(r.stderr.utf8.count < 3000, "\(r.stderr.utf8.count) bytes of error")
        #expect(r.stderr.contains("x.csv:2: delay: expected a number, found '\(String(repeating: "x", count: 80))… (5000000 bytes)'"), "\(r.stderr.prefix(600))")
    }

    /// A 10,000-step flow is refused with its file and line.
    @Test func tenThousandStepFlowNamesItsFile() throws {
        let dir = try temporaryDirectory()
        let flows = "b\n" + Array(repeating: "rw", count: 10_000).joined(separator: "; ") + "\n"
        try flows.write(toFile: dir + "/long.txt", atomically: true, encoding: .utf8)
        let r = try qor("predict", repositoryRoot + "/designs/gen/mult_4.aig", "--flows", dir + "/long.txt", "--no-save")
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("\(dir)/long.txt:2"), "\(r.stderr)")
    }

    /// A flow longer than the model covers (but legal) is named by file and line too.
    @Test func flowLongerThanTheModelNamesItsLine() throws {
        let dir = try temporaryDirectory()
        let flows = "b; rw\n" + Array(repeating: "rw", count: 500).joined(separator: "; ") + "\n"
        try flows.write(toFile: dir + "/long.txt", atomically: true, encoding: .utf8)
        let r = try qor("predict", repositoryRoot + "/designs/gen/mult_4.aig", "--flows", dir + "/long.txt", "--no-save")
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("\(dir)/long.txt:2: "), "\(r.stderr)")
    }

    // MARK: 7

    /// A model config with `vocabulary.maxSteps: -1` trapped; now 65 naming the file and the field.
    @Test func badModelConfigNamesFileAndField() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: repositoryRoot + "/db/default.safetensors", toPath: dir + "/m.safetensors")
        let text = try String(contentsOfFile: repositoryRoot + "/db/default.json", encoding: .utf8)
        let bad = text.replacingOccurrences(of: #""maxSteps" *: *[0-9]+"#, with: #""maxSteps":-1"#, options: .regularExpression)
        #expect(bad != text)
        try bad.write(toFile: dir + "/m.json", atomically: true, encoding: .utf8)
        let r = try qor("predict", repositoryRoot + "/designs/gen/mult_4.aig", "--flow", "b", "--model", dir + "/m.safetensors", "--no-save")
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains(dir + "/m.json: vocabulary.maxSteps"), "\(r.stderr)")
    }

    // MARK: 15

    /// A genlib ABC cannot read is refused up front (65) and nothing is stored.
    @Test(.enabled(if: abc), arguments: ["garbage here\n", ""])
    func unusableGenlibIsRefusedBeforeAnythingIsStored(text: String) throws {
        let dir = try temporaryDirectory()
        try text.write(toFile: dir + "/bad.genlib", atomically: true, encoding: .utf8)
        try "b\n".write(toFile: dir + "/f.flow", atomically: true, encoding: .utf8)
        let r = try qor("label", "--designs", adder, "--flows", dir + "/f.flow", "--genlib", dir + "/bad.genlib", "--db", dir + "/q.sqlite")
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains(dir + "/bad.genlib"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/q.sqlite"))
    }

    /// A corrupt .gz is bad data (65) in label (--liberty) as in import (a .csv.gz).
    @Test(.enabled(if: abc)) func corruptGzipIsBadDataEverywhere() throws {
        let dir = try temporaryDirectory()
        // gzip's magic bytes, then garbage.
        let corrupt = Data([0x1f, 0x8b, 0x08, 0x00] + Array(repeating: UInt8(0x41), count: 64))
        try corrupt.write(to: URL(fileURLWithPath: dir + "/bad.lib.gz"))
        try corrupt.write(to: URL(fileURLWithPath: dir + "/bad.csv.gz"))
        try "b\n".write(toFile: dir + "/f.flow", atomically: true, encoding: .utf8)
        let label = try qor("label", "--designs", adder, "--flows", dir + "/f.flow", "--liberty", dir + "/bad.lib.gz", "--db", dir + "/q.sqlite")
        #expect(label.status == 65, "\(label.stderr)")
        #expect(label.stderr.contains(dir + "/bad.lib.gz"), "\(label.stderr)")
        let db = try databaseWithDesigns(dir)
        let imported = try qor("import", "csv", dir + "/bad.csv.gz", "--db", db)
        #expect(imported.status == 65, "\(imported.stderr)")
    }

    // MARK: 17: ABC orphans

    /// SIGTERM to `qor label` kills the ABC run too (it runs in its own process group) and removes
    /// the temporary files; before, ABC ran on as an orphan.
    @Test(.enabled(if: abc && FileManager.default.fileExists(atPath: "/proc/self/stat")))
    func terminatedLabelLeavesNoABCBehind() throws {
        let dir = try temporaryDirectory()
        let tmp = try temporaryDirectory()
        // A long flow on the largest own design keeps ABC busy for many seconds.
        let steps = Array(repeating: "rs -K 16; rw; rf; b", count: 250).joined(separator: "; ")
        try (steps + "\n").write(toFile: dir + "/slow.flow", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: qorBinary)
        process.arguments = ["label", "--designs", repositoryRoot + "/designs/gen/sorter_32.aig", "--flows", dir + "/slow.flow",
                             "--db", dir + "/q.sqlite", "--jobs", "1", "--quiet"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": tmp]) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        var child: Int32?
        for _ in 0..<600 where child == nil {  // until ABC has started (at most about a minute)
            child = childProcess(of: process.processIdentifier, named: "berkeley-abc")
            if child == nil { usleep(100_000) }
        }
        let abcPID = try #require(child, "ABC never started")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        var alive = true
        for _ in 0..<100 where alive {  // SIGKILL is immediate; give the kernel a moment to reap
            alive = isRunning(abcPID)
            if alive { usleep(50_000) }
        }
        if alive { kill(abcPID, SIGKILL) }
        #expect(!alive, "ABC (pid \(abcPID)) outlived qor")
        #expect(try leftovers(tmp) == [])
    }

    func childProcess(of parent: Int32, named name: String) -> Int32? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let comm = stat[stat.index(after: stat.firstIndex(of: "(") ?? stat.startIndex)..<close]
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if comm == name, fields.count > 1, Int32(fields[1]) == parent { return pid }
        }
        return nil
    }

    /// True while the process exists and is not a zombie.
    func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return false
        }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }
}
