import Foundation
import Testing

/// A bad input for an importer: the files to write, the message expected on standard error.
struct BadImportCase: Sendable, CustomStringConvertible {
    var name: String
    var files: [String: String]
    var message: String
    var description: String { name }
}

/// A database in `dir` holding designs/gen/adder_8.aig and mult_4.aig.
func databaseWithDesigns(_ dir: String) throws -> String {
    // An explicit --db must be in an existing directory (issue 11): make it.
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let db = dir + "/qor.sqlite"
    let gen = repositoryRoot + "/designs/gen"
    let r = try qor("import", "designs", "\(gen)/adder_8.aig", "\(gen)/mult_4.aig", "--db", db, "--quiet")
    #expect(r.status == 0, "\(r.stderr)")
    return db
}

/// `qor db info --json`: every table's row count.
func databaseInfo(_ db: String) throws -> String {
    let r = try qor("db", "info", "--db", db, "--json")
    #expect(r.status == 0)
    return r.stdout
}

/// Writes files (relative paths) under `dir`.
func writeFiles(_ files: [String: String], under dir: String) throws {
    for (name, text) in files {
        let path = dir + "/" + name
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// Every label of the database as exported CSV lines, header first.
func exportedLabels(_ db: String, _ dir: String) throws -> [String] {
    let csv = dir + "/export-\(UUID().uuidString).csv"
    let r = try qor("db", "export", "--csv", csv, "--db", db)
    #expect(r.status == 0, "\(r.stderr)")
    return try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map(String.init)
}

/// The integer value of `key` in a one-line JSON object.
func jsonInt(_ json: String, _ key: String) -> Int? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
    return object[key] as? Int
}
