import Foundation
import Testing
@testable import Tensor

func temporaryPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensor-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

@Suite struct SafetensorsTests {
    /// Written by hand from the format description (8-byte little-endian header length, JSON
    /// header, raw little-endian data), in our documented order: __metadata__, then names in byte
    /// order; keys dtype, shape, data_offsets. The JSON is 141 bytes, padded with 3 spaces to 144 = 0x90.
    /// Data: 0.5 as F64 = 0x3FE0000000000000, then 1.0 as F32 = 0x3F800000, -2.0 as F32 = 0xC0000000.
    @Test func writerMatchesHandWrittenBytes() throws {
        let json = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
        let expected: [UInt8] = [0x90, 0, 0, 0, 0, 0, 0, 0] + Array(json.utf8) + [0x20, 0x20, 0x20]
            + [0, 0, 0, 0, 0, 0, 0xE0, 0x3F]
            + [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0]
        let bytes = Safetensors.encode([
            "b": Safetensors.Entry(Tensor<Float>([2], [1, -2])),
            "a": Safetensors.Entry(Tensor<Double>([1, 1], [0.5])),
        ], metadata: ["format": "pt"])
        #expect(bytes == expected)
        let (tensors, metadata) = try Safetensors.decode(expected, path: "fixture")
        #expect(metadata == ["format": "pt"])
        #expect(tensors["a"]?.tensor(Double.self) == Tensor([1, 1], [0.5]))
        #expect(tensors["b"]?.tensor(Float.self) == Tensor([2], [1, -2]))
        #expect(tensors["b"]?.tensor(Double.self) == nil)
    }

    struct Config: Codable, Equatable { var hidden: Int; var name: String }

    func model(seed: UInt64) -> (ParameterStore<Float>, MLP, GINConv) {
        let weights = ParameterStore<Float>(seed: seed)
        let mlp = MLP(weights, "head", sizes: [3, 4, 1])
        let gin = GINConv(weights, "gin", sizes: [3, 3])
        return (weights, mlp, gin)
    }

    @Test func roundTripThroughFiles() throws {
        let path = temporaryPath("model.safetensors")
        let (a, _, _) = model(seed: 1)
        try Checkpoint.save(a, config: Config(hidden: 4, name: "x\"y"), to: path, metadata: ["epoch": "3"])
        #expect(Checkpoint.configPath(for: path).hasSuffix("/model.json"))
        #expect(try Checkpoint.readConfig(Config.self, weights: path) == Config(hidden: 4, name: "x\"y"))
        let (b, _, _) = model(seed: 2)
        #expect(b.values != a.values)
        #expect(try Checkpoint.load(into: b, from: path) == ["epoch": "3"])
        #expect(b.values == a.values)
        #expect(b.names == a.names)
    }

    /// The state a `train` killed between its two renames leaves: the new config is in place, the
    /// new weights still under their temporary name. Loading finds them; old weights are refused.
    @Test func weightsAndConfigArePairedByFingerprint() throws {
        let dir = temporaryPath("pair")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/m.safetensors", other = dir + "/n.safetensors"
        let (a, _, _) = model(seed: 1), (b, _, _) = model(seed: 2)
        try Checkpoint.save(a, config: Config(hidden: 1, name: "a"), to: path)
        try Checkpoint.save(b, config: Config(hidden: 2, name: "b"), to: other)
        #expect(try String(contentsOfFile: Checkpoint.configPath(for: path), encoding: .utf8).contains("weightsFingerprint"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["m.json", "m.safetensors", "n.json", "n.safetensors"])

        // New config committed, new weights staged, old weights still in place.
        try FileManager.default.removeItem(atPath: Checkpoint.configPath(for: path))
        try FileManager.default.copyItem(atPath: Checkpoint.configPath(for: other), toPath: Checkpoint.configPath(for: path))
        try FileManager.default.copyItem(atPath: other, toPath: dir + "/.m.safetensors.tmp-999999-7")
        let (c, _, _) = model(seed: 3)
        try Checkpoint.load(into: c, from: path)
        #expect(c.values == b.values)

        // Without the staged file the old weights are refused, naming both files.
        try FileManager.default.removeItem(atPath: dir + "/.m.safetensors.tmp-999999-7")
        do {
            try Checkpoint.load(into: c, from: path)
            Issue.record("mismatched weights were loaded")
        } catch {
            #expect(error.kind == .mismatch)
            #expect(error.message.contains("m.json"))
        }

        // A config written before fingerprints existed accepts its weights as they are.
        try "{\"hidden\": 1, \"name\": \"a\"}\n".write(toFile: Checkpoint.configPath(for: path), atomically: false, encoding: .utf8)
        try Checkpoint.load(into: c, from: path)
        #expect(c.values == a.values)
    }

    @Test func loadingSaysPreciselyWhatDoesNotMatch() throws {
        let path = temporaryPath("model.safetensors")
        let (a, _, _) = model(seed: 1)
        try Checkpoint.save(a, config: Config(hidden: 4, name: ""), to: path)
        let other = ParameterStore<Float>(seed: 1)
        _ = MLP(other, "head", sizes: [3, 5, 1])        // hidden 5: shapes differ
        _ = other.add("extra", Tensor(zeros: [2]))       // not in file; gin.* are not in the model
        let before = other.values
        do {
            try Checkpoint.load(into: other, from: path)
            Issue.record("load should fail")
        } catch {
            #expect(error.kind == .mismatch)
            let m = error.message
            #expect(m.contains("head.0.weight: shape [3, 4] in file, model expects [3, 5]"))
            #expect(m.contains("head.1.weight: shape [4, 1] in file, model expects [5, 1]"))
            #expect(m.contains("missing tensor extra"))
            #expect(m.contains("unexpected tensor gin.eps in file"))
            #expect(!m.contains("head.1.bias"))
        }
        #expect(other.values == before)
        let doubles = ParameterStore<Double>(seed: 1)
        _ = MLP(doubles, "head", sizes: [3, 4, 1])
        _ = GINConv(doubles, "gin", sizes: [3, 3])
        #expect(throws: CheckpointError.self) { try Checkpoint.load(into: doubles, from: path) }
        do { try Checkpoint.load(into: doubles, from: path) } catch {
            #expect(error.message.contains("gin.eps: dtype F32 in file, model expects F64"))
        }
    }

    @Test func corruptFilesNameTheByteOffset() {
        let good = Safetensors.encode(["w": Safetensors.Entry(Tensor<Float>([2, 2], [1, 2, 3, 4]))])
        func message(_ bytes: [UInt8]) -> String {
            do { _ = try Safetensors.decode(bytes, path: "m.safetensors"); return "" } catch { return error.description }
        }
        #expect(message(Array(good.prefix(5))) == "m.safetensors: byte 0: file of 5 bytes is shorter than the 8-byte header length")
        #expect(message(Array(good.dropLast(4))).contains("byte 72: entry w: data_offsets [0, 16] outside the 12 data bytes"))
        #expect(message(good + [0, 0, 0, 0]).contains("4 data bytes belong to no tensor"))
        var badLength = good
        badLength[0] = 0xFF; badLength[1] = 0xFF
        #expect(message(badLength).contains("byte 0: header length"))
        var badJSON = good
        badJSON[8] = UInt8(ascii: "[")
        #expect(message(badJSON) == "m.safetensors: byte 8: header is not a JSON object")
        #expect(throws: CheckpointError(kind: .missingFile, path: "/nonexistent/m.safetensors", message: "no such file")) {
            try Checkpoint.load(into: ParameterStore<Float>(), from: "/nonexistent/m.safetensors")
        }
    }
}
