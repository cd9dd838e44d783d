import Foundation

extension Checkpoint {
    /// The weights' fingerprint recorded in the config beside `path` (what a compressed child names
    /// as its parent's weights); when the config records none, the fingerprint of the file itself.
    public static func weightsFingerprint(of path: String) throws(CheckpointError) -> String {
        let config = try configBytes(weights: path)
        if let stamp = try? JSONDecoder().decode(Recorded.self, from: Data(config)), let f = stamp.weightsFingerprint { return f }
        return fingerprint(try read(path))
    }

    private struct Recorded: Decodable { let weightsFingerprint: String? }
}
