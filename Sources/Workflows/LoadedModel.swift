import Common
import Foundation
import Netlist
import QoRModel
import Store

/// A model chosen by `--model`: a checkpoint path or a model name recorded in the database; the
/// shipped default (db/default.safetensors) when none is named.
public struct LoadedModel {
    public var name: String
    public var path: String
    public var predictor: QoRPredictor

    /// Loads `model` (nil: the default beside `executable` or in the current directory);
    /// `openDatabase` is called only for a model named in the database.
    public static func load(_ model: String?, executable: String = Executable.current, openDatabase: () throws -> Store) throws -> LoadedModel {
        guard let model else {
            guard let path = ModelFiles.defaultCheckpoint(executable: executable) else {
                throw ModelError(.missingFile, "no default model: expected db/default.safetensors in the current directory or the repository of \(executable); give --model")
            }
            return LoadedModel(name: "default", path: path, predictor: try QoRPredictor(checkpoint: path))
        }
        if model.hasSuffix(".safetensors") || FileManager.default.fileExists(atPath: model) {
            return LoadedModel(name: DesignFiles.name(of: model), path: model, predictor: try QoRPredictor(checkpoint: model))
        }
        let store = try openDatabase()
        guard let row = try store.model(named: model) else {
            throw ModelError(.missingFile, "--model \(model): neither a checkpoint file nor a model recorded in \(store.path)")
        }
        return LoadedModel(name: row.name, path: row.path, predictor: try QoRPredictor(checkpoint: row.path))
    }

    /// Why `design` is outside the model's training designs (empty: inside, or seen in training).
    public func outliers(_ design: DesignInput) -> [String] {
        predictor.knows(design.sample) ? [] : predictor.config.designRange?.outliers(design.sample.stats) ?? []
    }

    /// The model's id in the database, recording it first when it is not there yet.
    public func record(in store: Store) throws -> Int64 {
        if let row = try store.model(named: name), row.fingerprint == predictor.config.fingerprint { return row.id }
        return try store.saveModel(predictor, name: name, path: path)
    }
}

extension Store {
    /// Records a saved model (config and metrics as JSON): the one way train, compress and predict record one.
    public func saveModel(_ predictor: QoRPredictor, name: String, path: String, metrics: Evaluation? = nil) throws -> Int64 {
        let config = predictor.config
        return try saveModel(name: name, kind: config.architecture.kind.rawValue, path: path, config: try JSONText.encoded(config),
                             fingerprint: config.fingerprint, metrics: try JSONText.encoded(metrics ?? config.metrics))
    }
}
