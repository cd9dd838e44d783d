import Foundation

/// Model checkpoints: weights in safetensors at `path`, a JSON config beside it (same name,
/// extension `.json`). Files are written to a temporary name and renamed.
public enum Checkpoint {
    /// `model.safetensors` -> `model.json`.
    public static func configPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingPathExtension().appendingPathExtension("json").path
    }

    /// Writes the store's parameters (by name) and the config.
    public static func save<S, C: Encodable>(_ store: ParameterStore<S>, config: C, to path: String,
                                            metadata: [String: String] = [:]) throws(CheckpointError) {
        var entries: [String: Safetensors.Entry] = [:]
        for id in store.ids { entries[store.name(id)] = Safetensors.Entry(store[id]) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json: Data
        do { json = try encoder.encode(config) } catch {
            throw CheckpointError(kind: .io, path: configPath(for: path), message: "cannot encode config: \(error)")
        }
        try write(Safetensors.encode(entries, metadata: metadata), to: path)
        try write(Array(json) + [0x0A], to: configPath(for: path))
    }

    /// Reads the config written beside the weights.
    public static func readConfig<C: Decodable>(_ type: C.Type, weights path: String) throws(CheckpointError) -> C {
        let cpath = configPath(for: path)
        let bytes = try read(cpath)
        do { return try JSONDecoder().decode(C.self, from: Data(bytes)) } catch {
            throw CheckpointError(kind: .badData, path: cpath, message: "config does not match the expected structure: \(error)")
        }
    }

    /// Loads weights into a store built from the same config. Every parameter must be present
    /// with the same shape and dtype, and the file must hold nothing else; otherwise nothing is
    /// changed and the error lists each difference.
    @discardableResult
    public static func load<S>(into store: ParameterStore<S>, from path: String) throws(CheckpointError) -> [String: String] {
        let (tensors, metadata) = try Safetensors.decode(try read(path), path: path)
        var problems: [String] = []
        var loaded: [(ParameterID, Tensor<S>)] = []
        for id in store.ids {
            let name = store.name(id), want = store[id].shape.dims
            guard let e = tensors[name] else { problems.append("missing tensor \(name) (model expects \(S.dtype.rawValue) \(want))"); continue }
            if e.dtype != S.dtype { problems.append("\(name): dtype \(e.dtype.rawValue) in file, model expects \(S.dtype.rawValue)") }
            if e.shape != want { problems.append("\(name): shape \(e.shape) in file, model expects \(want)") }
            if e.dtype == S.dtype, e.shape == want, let t: Tensor<S> = e.tensor() { loaded.append((id, t)) }
        }
        for name in tensors.keys.sorted() where store.id(named: name) == nil {
            problems.append("unexpected tensor \(name) in file")
        }
        guard problems.isEmpty else {
            throw CheckpointError(kind: .mismatch, path: path, message: "checkpoint does not match the model: " + problems.joined(separator: "; "))
        }
        for (id, t) in loaded { store[id] = t }
        return metadata
    }

    static func read(_ path: String) throws(CheckpointError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CheckpointError(kind: .missingFile, path: path, message: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError(kind: .io, path: path, message: "cannot read")
        }
        return Array(data)
    }

    static func write(_ bytes: [UInt8], to path: String) throws(CheckpointError) {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try Data(bytes).write(to: temp)
            guard rename(temp.path, path) == 0 else {
                throw CheckpointError(kind: .io, path: path, message: "cannot rename \(temp.path) into place: \(String(cString: strerror(errno)))")
            }
        } catch let e as CheckpointError {
            try? FileManager.default.removeItem(at: temp)
            throw e
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw CheckpointError(kind: .io, path: path, message: "cannot write: \(error.localizedDescription)")
        }
    }
}
