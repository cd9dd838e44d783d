import Flows
import QoRModel

/// The flows a command predicts: one given as `--flow`, or a file of one flow per line (never
/// empty), checked against what a model covers so that an error names the file and line.
public struct FlowInput {
    public var flows: [Flow]
    /// The file's flows with their line numbers (empty for `--flow`).
    public var numbered: [(line: Int, flow: Flow)]
    public var file: String

    public init(flow: String?, file: String?) throws {
        self.file = file ?? ""
        numbered = flow == nil ? try Flow.loadNumberedList(contentsOf: file ?? "") : []
        flows = try flow.map { try Self.parse($0) } ?? numbered.map(\.flow)
        guard !flows.isEmpty else { throw FlowError(file: file, "no flows in the file: expected one flow per line") }
    }

    /// `--flow`: an error names the option rather than a file.
    private static func parse(_ text: String) throws(FlowError) -> [Flow] {
        do { return [try Flow.parse(text)] } catch { throw error.in(option: "--flow") }
    }

    /// Fails naming the file and line of the first flow the model cannot encode.
    public func check(against config: ModelConfig) throws {
        for (line, flow) in numbered {
            do {
                _ = try config.vocabulary.tokens(flow)
            } catch {
                throw ModelError(error.kind, "\(file):\(line): \(error.message)")
            }
        }
    }
}

extension FlowError {
    /// The error placed in a command-line option rather than a file.
    func `in`(option: String) -> FlowError {
        var copy = self
        copy.file = option
        return copy
    }
}
