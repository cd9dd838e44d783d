import Common
import Foundation
import QoRModel
import Store

/// `qor compress --int8`: the int8 child of a model, calibrated on its own training data, saved
/// beside the others and recorded in the database, with both test scores.
public struct Int8Child: Sendable {
    public var calibrationDesigns: Int
    /// Directory of the checkpoint.
    public var out: String
    /// File stem and database key (nil: `<parent>-int8`).
    public var name: String?

    public init(calibrationDesigns: Int, out: String, name: String?) {
        self.calibrationDesigns = calibrationDesigns
        self.out = out
        self.name = name
    }

    public struct Outcome {
        public var parent: LoadedModel
        public var name: String
        public var path: String
        public var split: SplitKind
        public var result: Int8Compression.Result
        public var parentBytes: Int
        public var bytes: Int

        public var json: String {
            get throws {
                "{\"name\":\(JSONText.quoted(name)),\"path\":\(JSONText.quoted(path)),\"parent\":\(JSONText.quoted(parent.path)),"
                    + "\"parent_bytes\":\(parentBytes),\"bytes\":\(bytes),\"size_ratio\":\(ratio),"
                    + "\"calibration_designs\":\(try JSONText.encoded(result.calibrationDesigns)),"
                    + "\"parent_test\":\(try JSONText.encoded(result.parentScores?.model)),\"test\":\(try JSONText.encoded(result.childScores?.model))}"
            }
        }

        public var ratio: Double { Double(parentBytes) / Double(max(1, bytes)) }

        public var text: String {
            var lines = ["model \(name) (int8 child of \(parent.name)) saved to \(path)",
                         String(format: "weights file: %d bytes against %d (%.2fx smaller)", bytes, parentBytes, ratio),
                         "calibrated on \(result.calibrationDesigns.count) training designs: \(result.calibrationDesigns.joined(separator: ", "))"]
            if let p = result.parentScores { lines.append(p.table("parent, test (\(split.rawValue) held out)")) }
            if let c = result.childScores { lines.append(c.table("int8, test (\(split.rawValue) held out)")) }
            return lines.joined(separator: "\n")
        }
    }

    public func make(from parent: LoadedModel, openStore: () throws -> Store) throws -> Outcome {
        guard let info = parent.predictor.config.training else {
            throw StoreError(.badInput, "\(parent.path): the checkpoint records no training data to calibrate on")
        }
        let store = try openStore()
        let data = try LearningData.load(store, of: parent.predictor.config)
        let split = try DataSplit.make(data.set, kind: info.split, holdout: info.holdout, seed: info.seed)
        let result = try Int8Compression.compress(parent.predictor, parentPath: parent.path, set: data.set, split: split,
                                                  calibrationDesigns: calibrationDesigns)
        let modelName = name ?? "\(parent.name)-int8"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let path = (out as NSString).appendingPathComponent("\(modelName).safetensors")
        try result.child.save(to: path)
        _ = try store.saveModel(result.child, name: modelName, path: path, metrics: result.childScores)
        return Outcome(parent: parent, name: modelName, path: path, split: info.split, result: result,
                       parentBytes: Self.fileSize(parent.path), bytes: Self.fileSize(path))
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
