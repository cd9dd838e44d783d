import Common
import Foundation
import Netlist
import QoRModel
import Reports
import Store
import Synthesis

extension EfficiencyReport {
    /// `qor profile`: the efficiency table of `model` with its `parent` (the root, listed first) and
    /// `children`, each a checkpoint path or a model name in `store`; accuracy on the test part of
    /// the root's split of its own training labels.
    public static func measure(model: String, parent: String?, children: [String], memoryDesign: String?, memoryFlow: String,
                               store: Store, executable: String = Executable.current, notice: (String) -> Void) throws -> EfficiencyReport {
        func resolve(_ m: String) throws -> (name: String, path: String) {
            if m.hasSuffix(".safetensors") || FileManager.default.fileExists(atPath: m) { return (DesignFiles.name(of: m), m) }
            guard let row = try store.model(named: m) else {
                throw ModelError(.missingFile, "\(m): neither a checkpoint file nor a model recorded in \(store.path)")
            }
            return (row.name, row.path)
        }
        let models = try (parent.map { [$0] } ?? []).map(resolve) + [resolve(model)] + children.map(resolve)
        let root = try QoRPredictor(checkpoint: models[0].path)
        let request = EfficiencyRequest(models: models, memoryDesign: memoryDesign, executable: executable, memoryFlow: memoryFlow,
                                        readOptions: ReadOptions(rtl: YosysFrontend()))
        return try measure(request, data: { try LearningData.load(store, of: root.config).set }, progress: notice)
    }
}
