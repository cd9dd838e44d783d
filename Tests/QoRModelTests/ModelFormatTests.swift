import Flows
import Foundation
import Testing
@testable import QoRModel
@testable import Tensor

/// Configs are decoded by their format; the `qor-model/3` default shipped until 2026-12-02 (kept in
/// Tests/Fixtures) still loads and predicts the numbers it predicted before the families became a registry.
@Suite struct ModelFormatTests {
    let weights = "\(repositoryRoot)/Tests/Fixtures/default-v3.safetensors"

    /// `qor predict designs/gen/mult_8.aig --flow "b; rw; rf; b; rwz; rfz" --json` before the
    /// change (the README's example), to the last digit printed.
    @Test func shippedV3DefaultPredictsTheRecordedNumbers() throws {
        let m = try QoRPredictor(checkpoint: weights)
        #expect(m.config.format == "qor-model/3")
        #expect(m.config.architecture.kind == .sequence)
        let p = try m.predict(sample("mult_8", try ownDesign("mult_8")), flows: [try Flow.parse("b; rw; rf; b; rwz; rfz")])
        #expect(p[0].delay == 950.4225075258901)
        #expect(p[0].area == 604.2531407967633)
    }

    @Test func aV3ConfigSavedAgainIsV4AndPredictsTheSame() throws {
        let m = try QoRPredictor(checkpoint: weights)
        let path = try temporaryDirectory() + "/again.safetensors"
        try m.save(to: path)
        let json = try String(contentsOfFile: Checkpoint.configPath(for: path), encoding: .utf8)
        #expect(json.contains("\"qor-model\\/4\"") && json.contains("\"network\"") && json.contains("\"base\""))
        let again = try QoRPredictor(checkpoint: path)
        #expect(again.config == m.config)
        #expect(again.config.format == ModelConfig.currentFormat)
        let s = sample("adder_8", try ownDesign("adder_8"))
        let flows = Flow.distinctRandom(count: 20, length: 12, seed: 4)
        #expect(try again.predict(s, flows: flows) == m.predict(s, flows: flows))
        // The same tensors as the shipped file, and nothing beside them (no masks, no int8 forms).
        let saved = try Safetensors.decode(try Checkpoint.weightBytes(at: path), path: path).tensors
        let shipped = try Safetensors.decode(try Checkpoint.weightBytes(at: weights), path: weights).tensors
        #expect(saved.mapValues(\.bytes) == shipped.mapValues(\.bytes))
    }

    @Test func unknownFormatsAndKindsAreNamed() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/m.safetensors"
        try FileManager.default.copyItem(atPath: weights, toPath: path)
        var json = try String(contentsOfFile: Checkpoint.configPath(for: weights), encoding: .utf8)
        json = json.replacingOccurrences(of: "qor-model\\/3", with: "qor-model\\/9")
        try json.write(toFile: Checkpoint.configPath(for: path), atomically: true, encoding: .utf8)
        #expect { _ = try QoRPredictor(checkpoint: path) } throws: { e in
            (e as? ModelError)?.kind == .badCheckpoint && "\(e)".contains("qor-model/9") && "\(e)".contains("qor-model/4")
        }
        json = json.replacingOccurrences(of: "qor-model\\/9", with: "qor-model\\/3")
            .replacingOccurrences(of: "\"kind\" : \"sequence\"", with: "\"kind\" : \"moe\"")
        try json.write(toFile: Checkpoint.configPath(for: path), atomically: true, encoding: .utf8)
        #expect { _ = try QoRPredictor(checkpoint: path) } throws: { e in
            (e as? ModelError)?.kind == .badCheckpoint && "\(e)".contains("unknown model kind 'moe'")
        }
    }

    @Test func everyKindHasAFamily() throws {
        #expect(ModelKind.allCases == [.sequence, .supernode])
        #expect(ModelKind(rawValue: "supernode") == .supernode && ModelKind(rawValue: "moe") == nil)
        for kind in ModelKind.allCases {
            let a = Architecture.defaults(kind)
            #expect(a.kind == kind)
            let decoded = try JSONDecoder().decode(Architecture.self, from: try JSONEncoder().encode(a))
            #expect(decoded == a)
            #expect(TrainingOptions(kind: kind).architecture == a)
        }
        #expect(TrainingOptions(kind: .supernode).designsPerStep == 1 && TrainingOptions(kind: .sequence).designsPerStep == 2)
        #expect(Architecture.defaults(.sequence, flowEncoder: .transformer) != Architecture.defaults(.sequence))
    }
}
