import Common
import Foundation

/// Model checkpoints: weights in safetensors at `path`, a JSON config beside it (same name,
/// extension `.json`). Files are written to a temporary name and renamed.
public enum Checkpoint {
    /// `model.safetensors` -> `model.json`.
    public static func configPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingPathExtension().appendingPathExtension("json").path
    }

    /// Writes the store's parameters (by name) and the config, as a pair that cannot mismatch.
    ///
    /// The config records the FNV-1a fingerprint of the weights it belongs to. The new weights are
    /// staged under a temporary name beside `path`, the config is renamed into place (the commit
    /// point), then the weights. A process killed before the commit leaves the old pair; one killed
    /// after it leaves the new config whose weights ``load(into:from:)`` finds in the temporary file.
    public static func save<S, C: Encodable>(_ store: ParameterStore<S>, config: C, to path: String,
                                            metadata: [String: String] = [:]) throws(CheckpointError) {
        var entries: [String: Safetensors.Entry] = [:]
        for id in store.ids { entries[store.name(id)] = Safetensors.Entry(store[id]) }
        let weights = Safetensors.encode(entries, metadata: metadata)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json: Data
        do { json = try encoder.encode(Fingerprinted(config: config, weightsFingerprint: fingerprint(weights))) } catch {
            throw CheckpointError(kind: .io, path: configPath(for: path), message: "cannot encode config: \(error)")
        }
        settle(path)
        do throws(FileWriteError) {
            let staged = try AtomicFile.stage(weights, for: path)
            do { try AtomicFile.write(Array(json) + [0x0A], to: configPath(for: path)) } catch {
                staged.discard()
                throw error
            }
            try staged.commit()
        } catch {
            throw CheckpointError(kind: .io, path: error.path, message: error.reason)
        }
    }

    /// Reads the config written beside the weights.
    public static func readConfig<C: Decodable>(_ type: C.Type, weights path: String) throws(CheckpointError) -> C {
        let cpath = configPath(for: path)
        let bytes = try read(cpath)
        do { return try JSONDecoder().decode(C.self, from: Data(bytes)) } catch {
            throw CheckpointError(kind: .badData, path: cpath, message: "config does not match the expected structure: \(error)")
        }
    }

    /// Finishes a save interrupted after its commit point (renames its staged weights into place),
    /// before a new save's staging would remove them as the temporary file of a dead process.
    static func settle(_ path: String) {
        guard let found = try? locateWeights(path), let staged = found.staged else { return }
        _ = rename(staged, path)
    }

    /// The weights that belong to the config beside `path`: the file itself, or the staged file of
    /// a save interrupted after its commit point. Configs without a fingerprint (written before
    /// fingerprints existed) accept the file as it is.
    static func weights(at path: String) throws(CheckpointError) -> [UInt8] { try locateWeights(path).bytes }

    private static func locateWeights(_ path: String) throws(CheckpointError) -> (bytes: [UInt8], staged: String?) {
        let bytes = try read(path)
        let cpath = configPath(for: path)
        guard FileManager.default.fileExists(atPath: cpath) else { return (bytes, nil) }
        let stamp: Stamp
        do { stamp = try JSONDecoder().decode(Stamp.self, from: Data(try read(cpath))) } catch let e as CheckpointError {
            throw e
        } catch {
            return (bytes, nil)
        }
        guard let expected = stamp.weightsFingerprint, fingerprint(bytes) != expected else { return (bytes, nil) }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let prefix = "." + url.lastPathComponent + ".tmp-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        for name in names.sorted() where name.hasPrefix(prefix) {
            let candidate = dir.appendingPathComponent(name).path
            if let staged = try? read(candidate), fingerprint(staged) == expected { return (staged, candidate) }
        }
        throw CheckpointError(
            kind: .mismatch, path: path,
            message: "these weights do not belong to \(cpath) (fingerprint \(fingerprint(bytes)), the config expects \(expected)); "
                + "the pair was changed separately: restore both files or train again")
    }

    static func fingerprint(_ bytes: [UInt8]) -> String { StableHash.hex(StableHash.fnv1a64(bytes)) }

    /// A config encoded with the fingerprint of its weights beside its own keys.
    private struct Fingerprinted<C: Encodable>: Encodable {
        let config: C
        let weightsFingerprint: String
        enum Key: String, CodingKey { case weightsFingerprint }
        func encode(to encoder: Encoder) throws {
            try config.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(weightsFingerprint, forKey: .weightsFingerprint)
        }
    }

    private struct Stamp: Decodable { let weightsFingerprint: String? }

    /// Loads weights into a store built from the same config. Every parameter must be present
    /// with the same shape and dtype, and the file must hold nothing else; otherwise nothing is
    /// changed and the error lists each difference.
    @discardableResult
    public static func load<S>(into store: ParameterStore<S>, from path: String) throws(CheckpointError) -> [String: String] {
        let (tensors, metadata) = try Safetensors.decode(try weights(at: path), path: path)
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
}
