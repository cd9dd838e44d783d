import Common
import Flows

/// Writes a flow file like those in `flows/`: `#` comment lines, then one spelled-out step a line.
public enum FlowFileWriter {
    /// Atomic (``AtomicFile``): `path` holds either its old content or the whole new flow.
    public static func write(_ flow: Flow, comments: [String], to path: String) throws(SearchError) {
        let text = comments.map { "# \($0)\n" }.joined() + flow.abcScript
        do { try AtomicFile.write(text, to: path) } catch { throw SearchError(.io, error.description) }
    }
}
