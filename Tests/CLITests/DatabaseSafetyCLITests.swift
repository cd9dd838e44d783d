import Foundation
import GRDB
import Testing

// Issue 11 items 12 and 13: qor writes nothing to a database it must not write to (another
// application's, a newer qor's, a corrupt one), names the file, and exits 65 (74 for a full
// disk); read-only commands leave the database exactly as it was, also on a read-only file in a
// read-only directory.

private let design = repositoryRoot + "/designs/gen/adder_8.aig"

/// The file's bytes and modification time, and the names of the files beside it that SQLite makes.
private struct Snapshot: Equatable {
    var bytes: Data
    var modified: Date?
    var companions: [String]

    init(_ path: String) throws {
        bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        companions = ["-wal", "-shm", "-journal"].filter { FileManager.default.fileExists(atPath: path + $0) }
    }
}

/// Commands that would write to the database, and read-only ones.
private func commands(_ db: String, _ dir: String) throws -> [[String]] {
    try "b; rw\n".write(toFile: dir + "/flows.txt", atomically: true, encoding: .utf8)
    try "design,flow,delay,area\nadder_8,b,1,2\n".write(toFile: dir + "/labels.csv", atomically: true, encoding: .utf8)
    return [
        ["import", "designs", design, "--db", db, "--quiet"],
        ["import", "csv", dir + "/labels.csv", "--db", db, "--quiet"],
        ["label", "--designs", design, "--flows", dir + "/flows.txt", "--db", db, "--quiet"],
        ["db", "info", "--db", db],
        ["db", "export", "--csv", dir + "/out.csv", "--db", db],
    ]
}

/// Every command exits 65 naming the file with `message`, and the file is untouched. With
/// `exportMayRead`, `db export` may succeed: a corrupt page it does not read is not its concern
/// (the commands that write, and `db info`, check every page).
private func expectRefused(_ db: String, _ dir: String, _ message: String, exportMayRead: Bool = false) throws {
    let before = try Snapshot(db)
    for arguments in try commands(db, dir) {
        let r = try qor(arguments)
        if !(exportMayRead && arguments[1] == "export" && r.status == 0) {
            #expect(r.status == 65, "\(arguments.prefix(2)): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("qor: error: \(db): \(message)"), "\(arguments.prefix(2)): \(r.stderr)")
        }
        #expect(try Snapshot(db) == before, "\(arguments.prefix(2)) changed \(db)")
    }
    if !exportMayRead { #expect(!FileManager.default.fileExists(atPath: dir + "/out.csv")) }
}

@Test func anotherApplicationsSQLiteFileIsRefusedAndUntouched() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/other.sqlite"
    let queue = try DatabaseQueue(path: db)
    try queue.write { db in
        try db.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada')")
    }
    try queue.close()
    try expectRefused(db, dir, "not a qor database (it holds the tables users)")
}

@Test func aDatabaseOfANewerQorIsRefusedAndUntouched() throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    let queue = try DatabaseQueue(path: db)
    try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
    try queue.close()
    try expectRefused(db, dir, "the database was made by a newer qor (its schema has the migrations v99-from-the-future")
}

@Test func aFileThatIsNoDatabaseIsRefusedAndUntouched() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/notes.sqlite"
    try "design,flow\n".write(toFile: db, atomically: true, encoding: .utf8)
    try expectRefused(db, dir, "not a SQLite database")
}

/// Ways a qor database gets damaged, each as a change to its bytes (4096-byte pages), given the
/// 1-based page number of the design table's root.
private let damages: [(name: String, damage: @Sendable (inout Data, Int) -> Void)] = [
    ("the design table's root page overwritten", { d, root in overwrite(&d, from: 4096 * (root - 1), count: 4096) }),
    ("the schema page overwritten after the header", { d, _ in overwrite(&d, from: 100, count: 3996) }),
    ("the page size in the header garbled", { d, _ in d[16] = 0x12; d[17] = 0x34 }),
    ("truncated to half", { d, _ in d = d.prefix(d.count / 2 / 4096 * 4096) }),
    ("every page's cell pointers garbled", { d, _ in
        for page in 1..<(d.count / 4096) { overwrite(&d, from: page * 4096 + 8, count: 40) }
    }),
]

private func overwrite(_ d: inout Data, from start: Int, count: Int) {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for i in start..<min(d.count, start + count) {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        d[i] = UInt8(truncatingIfNeeded: state >> 56)
    }
}

@Test(arguments: damages.indices)
func aCorruptDatabaseIsRefusedWithItsNameAndItsBytesUntouched(_ index: Int) throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    #expect(try qor("import", "designs", repositoryRoot + "/designs/gen", "--db", db, "--quiet").status == 0)
    let queue = try DatabaseQueue(path: db)
    let root = try queue.read { db in
        try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'design'") ?? 0
    }
    try queue.close()  // so that every page is in the main file, with no -wal beside it
    #expect(try Snapshot(db).companions.isEmpty)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: db))
    damages[index].damage(&bytes, root)
    try bytes.write(to: URL(fileURLWithPath: db))
    try expectRefused(db, dir, "the database is corrupt", exportMayRead: true)
}

@Test func aFullDiskIsAnIOErrorNamingTheDatabaseAndNothingOfTheImportIsKept() throws {
    guard getuid() == 0 else {
        print("skipped: mounting a small tmpfs to fill needs root")
        return
    }
    let dir = try temporaryDirectory()
    let mount = dir + "/small"
    try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
    guard try run("/bin/mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mount]).status == 0 else {
        print("skipped: cannot mount a tmpfs here")
        return
    }
    defer { _ = try? run("/bin/umount", [mount]) }
    let db = try databaseWithDesigns(mount)
    // Far more labels than the disk holds: 2 designs x 6,000 distinct flows.
    let steps = ["b", "rw", "rf", "rs", "rwz", "rfz", "rsz"]
    var csv = "design,flow,delay,area\n"
    for i in 0..<6000 {
        var n = i
        var flow: [String] = []
        for _ in 0..<12 {
            flow.append(steps[n % 7])
            n /= 7
        }
        for name in ["adder_8", "mult_4"] { csv += "\(name),\(flow.joined(separator: "; ")),\(100 + i % 17),\(200 + i % 13)\n" }
    }
    try csv.write(toFile: dir + "/many.csv", atomically: true, encoding: .utf8)
    let before = try databaseInfo(db)
    let r = try qor("import", "csv", dir + "/many.csv", "--db", db, "--quiet")
    #expect(r.status == 74, "\(r.stderr)")
    #expect(r.stderr.contains("qor: error: \(db): cannot write the database: the disk is full"), "\(r.stderr)")
    let after = try databaseInfo(db)
    #expect(jsonInt(after, "labels") == jsonInt(before, "labels") && jsonInt(after, "flows") == jsonInt(before, "flows"))
}

// MARK: - Read-only commands (item 13)

/// A database with designs, labels and a model recorded under the name "shipped" (the repository's
/// default checkpoint), for the commands that only read.
private func readableDatabase(_ dir: String) throws -> String {
    let db = try databaseWithDesigns(dir)
    try "design,flow,delay,area\nadder_8,b,1,2\nmult_4,rw,3,4\n".write(toFile: dir + "/l.csv", atomically: true, encoding: .utf8)
    #expect(try qor("import", "csv", dir + "/l.csv", "--db", db, "--quiet").status == 0)
    let queue = try DatabaseQueue(path: db)
    try queue.write { db in
        try db.execute(
            sql: "INSERT INTO model (name, kind, path, config, fingerprint, metrics) VALUES ('shipped', 'supernode', ?, '{}', '', '{}')",
            arguments: [repositoryRoot + "/db/default.safetensors"])
    }
    try queue.close()
    return db
}

private func readOnlyCommands(_ db: String, _ out: String) -> [[String]] {
    try? "b; rw\nrf; b\n".write(toFile: out + "/flows.txt", atomically: true, encoding: .utf8)
    return [
        ["db", "info", "--db", db],
        ["db", "info", "--json", "--db", db],
        ["db", "export", "--csv", out + "/labels.csv", "--db", db],
        ["predict", design, "--flow", "b; rw", "--model", "shipped", "--no-save", "--db", db],
        ["rank", design, "--flows", out + "/flows.txt", "--model", "shipped", "--db", db],
    ]
}

@Test func readOnlyCommandsLeaveTheDatabaseUntouched() throws {
    let dir = try temporaryDirectory()
    let db = try readableDatabase(dir)
    let before = try Snapshot(db)
    #expect(before.companions.isEmpty)
    for arguments in readOnlyCommands(db, dir) {
        let r = try qor(arguments)
        #expect(r.status == 0, "\(arguments.prefix(2)): \(r.stderr)")
        // Same bytes (no change counter), same modification time, no -wal or -shm beside it.
        #expect(try Snapshot(db) == before, "\(arguments.prefix(2)) touched the database")
    }
    #expect(try String(contentsOfFile: dir + "/labels.csv", encoding: .utf8).split(separator: "\n").count == 3)
}

@Test func readOnlyCommandsWorkOnAReadOnlyFileInAReadOnlyDirectory() throws {
    let dir = try temporaryDirectory()
    let db = try readableDatabase(dir + "/ro")
    let out = dir + "/out"
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: out)
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir + "/ro")
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/ro") }
    let before = try Snapshot(db)
    for arguments in readOnlyCommands(db, out) {
        // Root writes through any permission: run as nobody when root.
        let r = getuid() == 0
            ? try run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", qorBinary] + arguments)
            : try qor(arguments)
        #expect(r.status == 0, "\(arguments.prefix(2)): \(r.stderr)")
    }
    #expect(try Snapshot(db) == before)
}

@Test func readOnlyCommandsDoNotCreateAMissingDatabase() throws {
    let dir = try temporaryDirectory()
    let r = try qor("db", "info", "--db", dir + "/none.sqlite")
    #expect(r.status == 66)
    #expect(r.stderr.contains("qor: error: \(dir)/none.sqlite: no such database"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
}
