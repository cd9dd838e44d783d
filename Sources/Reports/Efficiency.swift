import Common
import Foundation
import QoRModel

/// One model of the efficiency table (COMPRESSION.md §4): what it costs and how accurate it is.
/// Every compression option gets the same row; a child needs only its config's `compression`
/// entry and its weights.
public struct EfficiencyRow: Sendable, Codable, Equatable {
    public var name: String
    public var path: String
    public var family: String
    /// The compression steps that made the model, as `option (k: v, ...)`; empty for a plain model.
    public var compression: [String]
    /// Row index of the parent the accuracy change is measured against; nil for the root.
    public var parent: Int?
    public var parameters: Int
    /// Parameters not zero after masks (below `parameters` for a pruned model).
    public var nonzeroParameters: Int
    /// Bytes of the parameters as stored (4 per float, 1 per int8 plus scales).
    public var parameterBytes: Int
    /// Bytes on disk: the `.safetensors` file and its JSON config.
    public var weightsFileBytes: Int
    public var configFileBytes: Int
    /// MACs and activations on the reference workload; nil for a family that does not count them.
    public var cost: NetworkCost?
    /// Peak RSS of `qor predict` on the memory design, bytes; nil when not measured.
    public var peakMemoryBytes: Int?
    /// Flows predicted per wall second and per CPU second on the test split, design contexts cached
    /// (as `qor rank` uses the model), over timing rounds interleaved with the other rows'.
    public var flowsPerSecond: Double
    public var flowsPerCPUSecond: Double
    /// Training seconds per epoch, from the config's `TrainingInfo`; nil when it records none.
    public var trainingSecondsPerEpoch: Double?
    /// Test-split accuracy (percent; mean within-design Spearman).
    public var delayMAPE: Double
    public var areaMAPE: Double
    public var delaySpearman: Double
    public var areaSpearman: Double

    /// Accuracy change against `parent` on the same split: MAPE in points, Spearman in units.
    public func change(from parent: EfficiencyRow) -> (delayMAPE: Double, areaMAPE: Double, delaySpearman: Double, areaSpearman: Double) {
        (delayMAPE - parent.delayMAPE, areaMAPE - parent.areaMAPE, delaySpearman - parent.delaySpearman, areaSpearman - parent.areaSpearman)
    }
}

/// The efficiency report of a model and its compressed children, all scored on one test split.
public struct EfficiencyReport: Sendable, Codable, Equatable {
    public var format = "qor-efficiency/1"
    public var date: Date
    public var workload: ReferenceWorkload
    /// The split every row is scored on: `kind seed N` and the number of test labels and designs.
    public var split: String
    public var testLabels: Int
    public var testDesigns: Int
    /// The design and flow whose `qor predict` peak memory is measured (nil: not measured), and its ANDs.
    public var memoryDesign: String?
    public var memoryDesignANDs: Int?
    public var memoryFlow: String?
    public var device: String
    public var rows: [EfficiencyRow]

    public init(date: Date, workload: ReferenceWorkload, split: String, testLabels: Int, testDesigns: Int, memoryDesign: String?,
                memoryDesignANDs: Int?, memoryFlow: String?, device: String, rows: [EfficiencyRow]) {
        self.date = date
        self.workload = workload
        self.split = split
        self.testLabels = testLabels
        self.testDesigns = testDesigns
        self.memoryDesign = memoryDesign
        self.memoryDesignANDs = memoryDesignANDs
        self.memoryFlow = memoryFlow
        self.device = device
        self.rows = rows
    }

    /// `efficiency.md` and `efficiency.json` under `directory` (created when missing), both or neither.
    public func write(to directory: String) throws(ReportError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError(.io, file: directory, "cannot create the directory: \(error.localizedDescription)")
        }
        let json: [UInt8]
        do { json = Array(try jsonData()) } catch { throw ReportError(.io, file: directory, "cannot encode the report: \(error)") }
        do {
            try AtomicFile.write([(path: "\(directory)/efficiency.md", bytes: Array(markdown.utf8)), (path: "\(directory)/efficiency.json", bytes: json)])
        } catch { throw ReportError(.io, file: directory, "\(error)") }
    }

    /// The report as JSON (sorted keys, ISO dates; NaN accuracy as null).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}
