import Flows
import Foundation

/// Writes a flow file like those in `flows/`: `#` comment lines, then one spelled-out step a line.
public enum FlowFileWriter {
    /// Atomic: the text goes to a temporary file in the same directory, then rename(2) puts it in
    /// place, so `path` holds either its old content or the whole new flow.
    public static func write(_ flow: Flow, comments: [String], to path: String) throws(SearchError) {
        let text = comments.map { "# \($0)\n" }.joined() + flow.abcScript
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
        guard FileManager.default.createFile(atPath: temp, contents: Data(text.utf8)) else {
            throw SearchError(.io, "\(path): cannot write the temporary file \(temp)")
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw SearchError(.io, "\(path): cannot rename the temporary file into place: \(reason)")
        }
    }
}
