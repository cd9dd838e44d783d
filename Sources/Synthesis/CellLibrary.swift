import Common
import Flows
import Foundation

/// The target of technology mapping: a genlib or Liberty cell library, or K-input LUTs.
///
/// A library is identified by ``id``: its kind and the 64-bit FNV-1a hash of its (unpacked)
/// content, or the LUT size; two libraries with the same id are equal whatever their path or name.
/// The default, ``nangate45``, is compiled into the binary (see `libs/nangate45.genlib`), so it
/// works from a fresh clone, any working directory and a copied binary.
public struct CellLibrary: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case genlib
        case liberty
        /// LUTs with this many inputs, mapped with `if -K`.
        case lut(Int)
    }

    enum Source: Sendable {
        case file(String)
        case embedded(String)
        case none
    }

    public let kind: Kind
    /// A short display name, for example `nangate45` or `lut6`.
    public let name: String
    /// 16 hex digits of the 64-bit FNV-1a of the content; nil for LUTs.
    public let contentHash: String?
    let source: Source

    /// The stable identity: `genlib:<hash>`, `liberty:<hash>` or `lut:<k>`.
    public var id: String {
        switch kind {
        case .genlib: "genlib:\(contentHash ?? "")"
        case .liberty: "liberty:\(contentHash ?? "")"
        case .lut(let k): "lut:\(k)"
        }
    }

    public var description: String { "\(name) (\(id))" }

    public static func == (a: CellLibrary, b: CellLibrary) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// The default mapping target: Nangate 45 nm as a genlib, compiled into the binary.
    public static let nangate45 = CellLibrary(
        kind: .genlib, name: "nangate45", contentHash: StableHash.hex(StableHash.fnv1a64(nangate45Text)),
        source: .embedded(nangate45Text))

    /// A genlib file, read by ABC's `read_genlib`.
    public static func genlib(_ path: String) throws(SynthesisError) -> CellLibrary {
        let data = try read(path)
        return CellLibrary(
            kind: .genlib, name: displayName(path), contentHash: data.fnv1a64Hex,
            source: .file(path))
    }

    /// A Liberty file, read by ABC's `read_lib`. A gzipped file (which this ABC cannot read) is
    /// unpacked once into a temporary file named by its content hash.
    public static func liberty(_ path: String) throws(SynthesisError) -> CellLibrary {
        var data = try read(path)
        var file = path
        if data.starts(with: [0x1f, 0x8b]) {
            (file, data) = try LibraryCache.gunzip(path)
        }
        return CellLibrary(
            kind: .liberty, name: displayName(path), contentHash: data.fnv1a64Hex,
            source: .file(file))
    }

    /// K-input LUTs (3 <= k <= 32, as `if -K` accepts).
    public static func lut(_ k: Int) throws(SynthesisError) -> CellLibrary {
        guard (3...32).contains(k) else { throw .badArgument("LUT size \(k): expected 3...32") }
        return CellLibrary(kind: .lut(k), name: "lut\(k)", contentHash: nil, source: .none)
    }

    /// The file ABC reads, or nil for LUTs; the embedded library is written out on first use.
    func path() throws(SynthesisError) -> String? {
        switch source {
        case .file(let path):
            guard FileManager.default.fileExists(atPath: path) else { throw .missingInput(path) }
            return path
        case .embedded(let text):
            return try LibraryCache.file(named: "\(name)-\(contentHash ?? "").genlib", text: text)
        case .none:
            return nil
        }
    }

    private static func read(_ path: String) throws(SynthesisError) -> Data {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingInput(path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .io("\(path): cannot read the file") }
        return data
    }

    /// `nangate45_typ.lib.gz` -> `nangate45_typ`.
    private static func displayName(_ path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".gz", ".lib", ".genlib"] where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
        }
        return name
    }
}

extension Data {
    var fnv1a64Hex: String { StableHash.hex(withUnsafeBytes { StableHash.fnv1a64($0) }) }
}
