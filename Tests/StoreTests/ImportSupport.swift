@_exported import TestSupport
import Foundation
import Netlist
@testable import Store

/// Writes `text` to `dir/name`, creating folders; returns the path.
@discardableResult
func write(_ text: String, _ dir: String, _ name: String) throws -> String {
    let path = dir + "/" + name
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A store in `dir` holding the repository's generated designs `names` (from designs/gen/<name>.aig).
func storeWithDesigns(_ dir: String, _ names: [String]) throws -> Store {
    let store = try Store(path: dir + "/qor.sqlite")
    let files = names.map { "\(repositoryRoot)/designs/gen/\($0).aig" }
    let plan = try DesignImport.plan(files: files, existing: try store.designs(), options: ReadOptions())
    _ = try store.importDesigns(plan)
    return store
}

/// The stored labels as sorted text lines `design|flow|library|status|delay|area`.
func labelLines(_ store: Store) throws -> [String] {
    let csv = FileManager.default.temporaryDirectory.appendingPathComponent("qor-labels-\(UUID().uuidString).csv").path
    defer { try? FileManager.default.removeItem(atPath: csv) }
    _ = try store.exportLabelsCSV(to: csv)
    return try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init).sorted()
}
