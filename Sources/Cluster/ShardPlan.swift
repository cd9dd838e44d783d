import Common
import Foundation

/// One (design, flow) key of a shard, by what identifies it in any qor database.
public struct ShardKey: Codable, Sendable, Hashable {
    /// The design's content hash.
    public var design: String
    /// The flow's canonical text.
    public var flow: String
}

/// What one array task labels: `shard-K.json`, beside its database `shard-K.sqlite`.
public struct ShardPlan: Codable, Sendable {
    public var version = 1
    public var run: String
    public var index: Int
    public var library: LibrarySpec
    /// Seconds before one ABC run is killed.
    public var timeout: Double
    public var keys: [ShardKey]
}

/// A Slurm labelling run: `<db>.shards/<run>/run.json`.
public struct RunManifest: Codable, Sendable {
    public var version = 1
    public var run: String
    /// The main database the shards merge into.
    public var database: String
    public var library: LibrarySpec
    public var shards: Int
    /// Keys asked for, and those already labelled in the main database when planned.
    public var total: Int
    public var alreadyDone: Int
    /// The array job's id, once submitted.
    public var job: String?
    /// The sbatch options (without `--array`), to resubmit a task by hand.
    public var sbatch: [String] = []
    /// Unix time of planning and submission.
    public var planned: Double
    public var submitted: Double?
}

/// The files of a run, by name.
public struct RunFolder: Sendable {
    public let path: String
    public init(_ path: String) { self.path = path }

    public var manifest: String { path + "/run.json" }
    public var script: String { path + "/job.sh" }
    public func plan(_ k: Int) -> String { path + "/shard-\(k).json" }
    public func database(_ k: Int) -> String { path + "/shard-\(k).sqlite" }
    public func log(_ k: Int) -> String { path + "/shard-\(k).log" }

    /// The folder holding every run of a main database.
    public static func root(database: String) -> String { URL(fileURLWithPath: database).standardizedFileURL.path + ".shards" }

    /// Every run folder of a main database, oldest first (run names sort by time).
    public static func all(database: String) throws -> [RunFolder] {
        let root = root(database: database)
        guard FileManager.default.fileExists(atPath: root) else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: root)
        return names.filter { !$0.hasPrefix(".") && FileManager.default.fileExists(atPath: "\(root)/\($0)/run.json") }
            .sorted().map { RunFolder("\(root)/\($0)") }
    }

    public func readManifest() throws -> RunManifest { try JSONFile.read(RunManifest.self, manifest) }
}

/// JSON files written atomically (temporary name, then rename) and read with errors naming them.
enum JSONFile {
    static func read<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ClusterError(.missingFile, "\(path): no such file")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw ClusterError(.badInput, "\(path): not a qor plan file: \(error)")
        }
    }

    static func write<T: Encodable>(_ value: T, _ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try TextFile.write(String(decoding: try encoder.encode(value), as: UTF8.self) + "\n", path)
    }
}

enum TextFile {
    static func write(_ text: String, _ path: String, mode: mode_t = 0o644) throws {
        do { try AtomicFile.write(text, to: path) } catch { throw ClusterError(.io, error.description) }
        guard chmod(path, mode) == 0 else { throw ClusterError(.io, "\(path): cannot set its permissions") }
    }
}
