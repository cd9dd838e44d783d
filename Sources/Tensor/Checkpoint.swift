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

    /// Writes the parameters (by name) and the config, as a pair that cannot mismatch.
    ///
    /// The config records the FNV-1a fingerprint of the weights it belongs to. The new weights are
    /// staged under a temporary name beside `path`, the config is renamed into place (the commit
    /// point), then the weights. A process killed before the commit leaves the old pair; one killed
    /// after it leaves the new config whose weights ``load(into:from:)`` finds in the temporary file.
    public static func save<S, C: Encodable>(_ weights: ParameterStore<S>, config: C, to path: String,
                                            metadata: [String: String] = [:]) throws(CheckpointError) {
        let encoded = Safetensors.encode(entries(weights), metadata: metadata)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json: Data
        do { json = try encoder.encode(Fingerprinted(config: config, weightsFingerprint: fingerprint(encoded))) } catch {
            throw CheckpointError(kind: .io, path: configPath(for: path), message: "cannot encode config: \(error)")
        }
        settle(path)
        do throws(FileWriteError) {
            let staged = try AtomicFile.stage(encoded, for: path)
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
        try decodeConfig(type, try configBytes(weights: path), weights: path)
    }

    /// The bytes of the config beside `path`, read once by a caller that decodes it more than one
    /// way and then loads the weights it names (``load(into:from:config:)``).
    public static func configBytes(weights path: String) throws(CheckpointError) -> [UInt8] {
        try read(configPath(for: path))
    }

    public static func decodeConfig<C: Decodable>(_ type: C.Type, _ bytes: [UInt8], weights path: String) throws(CheckpointError) -> C {
        do { return try JSONDecoder().decode(C.self, from: Data(bytes)) } catch {
            throw CheckpointError(kind: .badData, path: configPath(for: path), message: "config does not match the expected structure: \(error)")
        }
    }

    /// Finishes a save interrupted after its commit point (renames its staged weights into place),
    /// before a new save's staging would remove them as the temporary file of a dead process.
    static func settle(_ path: String) {
        guard let found = try? locateWeights(path, config: nil), let staged = found.staged else { return }
        _ = rename(staged, path)
    }

    /// The weights that belong to the config beside `path`: the file itself, or the staged file of
    /// a save interrupted after its commit point. Configs without a fingerprint (written before
    /// fingerprints existed) accept the file as it is.
    /// `config`: the config's bytes when the caller has read them already.
    static func weightBytes(at path: String, config: [UInt8]? = nil) throws(CheckpointError) -> [UInt8] {
        try locateWeights(path, config: config).bytes
    }

    private static func locateWeights(_ path: String, config: [UInt8]?) throws(CheckpointError) -> (bytes: [UInt8], staged: String?) {
        let bytes = try read(path)
        let cpath = configPath(for: path)
        var configBytes = config
        if configBytes == nil, FileManager.default.fileExists(atPath: cpath) { configBytes = try read(cpath) }
        guard let configBytes else { return (bytes, nil) }
        guard let stamp = try? JSONDecoder().decode(Stamp.self, from: Data(configBytes)) else { return (bytes, nil) }
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

    /// The fingerprint of the weights the config beside `path` belongs to (a parent model's identity); nil for old configs.
    public static func weightsFingerprint(of path: String) throws(CheckpointError) -> String? {
        let bytes = try configBytes(weights: path)
        return (try? JSONDecoder().decode(Stamp.self, from: Data(bytes)))?.weightsFingerprint
    }

    /// The tensors saved for `weights`: each parameter by name, and beside it its mask
    /// (`<name>.mask`, same dtype and shape) and its int8 form (`<name>.int8`, I8, with the
    /// per-column scales `<name>.scales`, F32), when it has them.
    static func entries<S>(_ weights: ParameterStore<S>) -> [String: Safetensors.Entry] {
        var entries: [String: Safetensors.Entry] = [:]
        for id in weights.ids {
            let name = weights.name(id)
            // An int8 parameter whose value is its dequantised form is stored as int8 alone (4× smaller).
            if !weights.isInt8Only(id) { entries[name] = Safetensors.Entry(weights[id]) }
            if let mask = weights.mask(id) { entries[name + Extra.mask.rawValue] = Safetensors.Entry(mask) }
            if let q = weights.quantized(id) {
                entries[name + Extra.int8.rawValue] = Safetensors.Entry(dtype: .i8, shape: [q.rows, q.cols], bytes: q.values.map { UInt8(bitPattern: $0) })
                entries[name + Extra.scales.rawValue] = Safetensors.Entry(Tensor<Float>([q.cols], q.scales))
            }
        }
        return entries
    }

    /// The tensors a checkpoint may hold beside a parameter, by the suffix of their names.
    enum Extra: String, CaseIterable { case mask = ".mask", int8 = ".int8", scales = ".scales" }

    /// Loads weights into a parameter store built from the same config, with the masks and int8 forms saved
    /// beside them. Every parameter must be present with the same shape and dtype, and the file must
    /// hold nothing else but those extras; otherwise nothing is changed and the error lists each difference.
    /// `config`: the bytes of the config beside `path` when the caller has read them already.
    @discardableResult
    public static func load<S>(into weights: ParameterStore<S>, from path: String, config: [UInt8]? = nil) throws(CheckpointError) -> [String: String] {
        let (tensors, metadata) = try Safetensors.decode(try weightBytes(at: path, config: config), path: path)
        var problems: [String] = []
        var loaded: [(ParameterID, Tensor<S>, mask: Tensor<S>?, int8: Int8Matrix?)] = []
        var expected = Set<String>()
        for id in weights.ids {
            let name = weights.name(id), want = weights[id].shape.dims
            expected.insert(name)
            func tensor<T: TensorScalar>(_ key: String, _ type: T.Type, shape: [Int]) -> Tensor<T>? {
                guard let e = tensors[key] else { return nil }
                expected.insert(key)
                if e.dtype != T.dtype { problems.append("\(key): dtype \(e.dtype.rawValue) in file, model expects \(T.dtype.rawValue)") }
                if e.shape != shape { problems.append("\(key): shape \(e.shape) in file, model expects \(shape)") }
                return e.dtype == T.dtype && e.shape == shape ? e.tensor() : nil
            }
            guard tensors[name] != nil || tensors[name + Extra.int8.rawValue] != nil else {
                problems.append("missing tensor \(name) (model expects \(S.dtype.rawValue) \(want))")
                continue
            }
            var value = tensors[name] != nil ? tensor(name, S.self, shape: want) : nil
            let mask = tensor(name + Extra.mask.rawValue, S.self, shape: want)
            var int8: Int8Matrix?
            if let e = tensors[name + Extra.int8.rawValue] {
                expected.insert(name + Extra.int8.rawValue)
                let scales = tensor(name + Extra.scales.rawValue, Float.self, shape: [want.last ?? 0])
                if e.dtype != .i8 || e.shape != want || want.count != 2 {
                    problems.append("\(name + Extra.int8.rawValue): \(e.dtype.rawValue) \(e.shape) in file, model expects I8 \(want) of a 2-D weight")
                } else if let scales {
                    int8 = Int8Matrix(rows: want[0], cols: want[1], values: e.bytes.map { Int8(bitPattern: $0) }, scales: scales.data)
                } else if tensors[name + Extra.scales.rawValue] == nil {
                    problems.append("\(name + Extra.int8.rawValue) without \(name + Extra.scales.rawValue)")
                }
            }
            if tensors[name] == nil, let int8 { value = int8.dequantized().converted(to: S.self) }
            if let value { loaded.append((id, value, mask, int8)) }
        }
        for name in tensors.keys.sorted() where !expected.contains(name) {
            problems.append("unexpected tensor \(name) in file")
        }
        guard problems.isEmpty else {
            throw CheckpointError(kind: .mismatch, path: path, message: "checkpoint does not match the model: " + problems.joined(separator: "; "))
        }
        for (id, t, mask, int8) in loaded {
            weights[id] = t
            weights.setMask(id, mask)
            weights.setQuantized(id, int8)
        }
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
