import Foundation
import Netlist

/// Design files checked for `qor import designs`: read, deduplicated by content hash and named.
public struct DesignImportPlan: Sendable {
    /// One design per distinct content, in path order; each named by its file's base name without
    /// the extension.
    public var designs: [NewDesign] = []
    /// Hashes of ``designs`` that the database already holds.
    public var alreadyStored: Set<String> = []
    /// Files whose content equals an earlier file's: (file, the earlier file).
    public var duplicates: [(file: String, sameAs: String)] = []
    /// Files that could not be read as designs.
    public var problems: [ImportProblem] = []
    /// Name clashes between different contents (both designs are kept).
    public var warnings: [String] = []
    public var files = 0

    /// Throws ``ImportError`` when a file is bad, unless `skipBad`.
    public func check(skipBad: Bool) throws(ImportError) {
        if !problems.isEmpty, !skipBad { throw ImportError(problems: problems) }
    }
}

public enum DesignImport {
    /// Extensions picked up when walking a directory (a file named explicitly may have any).
    public static let extensions: Set<String> = ["aag", "aig", "bench", "blif", "v", "sv", "verilog"]

    /// The design files named by `paths`: files as given, directories walked recursively for
    /// ``extensions`` (hidden entries skipped), each directory's files sorted by path.
    public static func files(in paths: [String]) throws(StoreError) -> [String] {
        var out: [String] = []
        var seen: Set<String> = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw StoreError(.missingFile, "\(path): no such file or directory")
            }
            let found = isDirectory.boolValue
                ? try DatasetFiles.files(under: path).filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
                : [path]
            for file in found where seen.insert(URL(fileURLWithPath: file).standardizedFileURL.path).inserted {
                out.append(file)
            }
        }
        return out
    }

    /// The name a file's design gets: its base name without the extension.
    public static func name(of file: String) -> String {
        ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// Reads every file (on all cores), keeping one design per content hash. `existing` are the
    /// stored designs, for telling new from known and for name clashes. A file that is not a valid
    /// design is a problem; a missing tool or an I/O failure is thrown.
    public static func plan(
        files: [String], existing: [DesignRow], options: ReadOptions, progress: (@Sendable () -> Void)? = nil
    ) throws(NetlistError) -> DesignImportPlan {
        let results = Results(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let result: Result<(Aig, DesignFormat), NetlistError>
            do throws(NetlistError) {
                let bytes = try FileIO.readBytes(files[i])
                let aig = try DesignReader.read(bytes: bytes, file: files[i], options: options)
                result = .success((aig, DesignReader.detectFormat(file: files[i], bytes: bytes) ?? .aig))
            } catch {
                result = .failure(error)
            }
            results.set(i, result)
            progress?()
        }

        var plan = DesignImportPlan()
        plan.files = files.count
        let storedHashes = Dictionary(existing.map { ($0.hash, $0) }, uniquingKeysWith: { a, _ in a })
        var namesInUse: [String: String] = [:]  // name -> where (a stored design or a file)
        for d in existing where namesInUse[d.name] == nil { namesInUse[d.name] = "stored design #\(d.id)" }
        var firstFile: [String: String] = [:]  // hash -> file
        for (i, file) in files.enumerated() {
            let aig: Aig, format: DesignFormat
            switch results.get(i) {
            case .success(let read): (aig, format) = read
            case .failure(let error) where error.kind == .badInput:
                plan.problems.append(problem(error, file: file))
                continue
            case .failure(let error): throw error
            }
            let hash = aig.contentHash
            if let earlier = firstFile[hash] {
                plan.duplicates.append((file, earlier))
                continue
            }
            firstFile[hash] = file
            if storedHashes[hash] != nil {
                plan.alreadyStored.insert(hash)
            } else {
                let name = name(of: file)
                if let other = namesInUse[name] {
                    plan.warnings.append("\(file): the name '\(name)' is also that of \(other), whose content differs; both are kept")
                } else {
                    namesInUse[name] = file
                }
            }
            plan.designs.append(NewDesign(name: name(of: file), format: format.rawValue, source: file, aig: aig))
        }
        return plan
    }

    private static func problem(_ error: NetlistError, file: String) -> ImportProblem {
        switch error.location {
        case .line(let n): ImportProblem(file: error.file, line: n, error.message)
        case .byteOffset(let n): ImportProblem(file: error.file, line: 0, "byte \(n): \(error.message)")
        case .none: ImportProblem(file: error.file, line: 0, error.message)
        }
    }

    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Result<(Aig, DesignFormat), NetlistError>?]
        init(count: Int) { items = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Result<(Aig, DesignFormat), NetlistError>) { lock.withLock { items[i] = r } }
        func get(_ i: Int) -> Result<(Aig, DesignFormat), NetlistError> {
            lock.withLock { items[i] } ?? .failure(NetlistError(.io, file: "", "internal: no result"))
        }
    }
}

extension Store {
    /// Stores a checked plan's designs in one transaction; returns how many were new.
    public func importDesigns(_ plan: DesignImportPlan) throws -> Int {
        _ = try upsertDesigns(plan.designs)
        return plan.designs.count - plan.alreadyStored.count
    }
}
