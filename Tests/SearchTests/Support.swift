import Foundation
import Netlist
import QoRModel
import Store

/// The repository root (for `designs/`, `flows/`, `db/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A fresh temporary directory.
func temporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("qor-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// The shipped model.
func shippedModel() throws -> QoRPredictor { try QoRPredictor(checkpoint: repositoryRoot + "/db/default.safetensors") }

/// A design file of the repository as the store keeps it.
func newDesign(_ relative: String) throws -> NewDesign {
    let path = repositoryRoot + "/" + relative
    let aig = try DesignReader.read(path: path)
    return NewDesign(name: ((path as NSString).lastPathComponent as NSString).deletingPathExtension, format: "aiger", source: path, aig: aig)
}
