import Foundation

/// Where checkpoints live.
public enum ModelFiles {
    /// The shipped default model: `db/default.safetensors` under the current directory, else
    /// under the first ancestor of the executable's directory that has one.
    public static func defaultCheckpoint(executable: String, currentDirectory: String = FileManager.default.currentDirectoryPath) -> String? {
        let relative = "db/default.safetensors"
        let fm = FileManager.default
        let here = (currentDirectory as NSString).appendingPathComponent(relative)
        if fm.fileExists(atPath: here) { return here }
        var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" && !dir.path.isEmpty {
            let candidate = dir.appendingPathComponent(relative).path
            if fm.fileExists(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}
