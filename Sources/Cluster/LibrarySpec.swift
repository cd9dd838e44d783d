import Foundation
import Synthesis

/// The mapping target as an array task rebuilds it on another node: how it was named (a file on
/// the shared file system, a LUT size or the built-in library) and the id it must still have.
public struct LibrarySpec: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case builtin, genlib, liberty, lut }
    public var kind: Kind
    /// Absolute path of a genlib or Liberty file.
    public var path: String?
    public var lut: Int?
    /// ``CellLibrary/id`` when planned; a task refuses a file whose content changed since.
    public var id: String

    public init(genlib: String?, liberty: String?, lut: Int?) throws {
        if let genlib {
            kind = .genlib
            path = Self.absolute(genlib)
        } else if let liberty {
            kind = .liberty
            path = Self.absolute(liberty)
        } else if let lut {
            kind = .lut
            self.lut = lut
        } else {
            kind = .builtin
        }
        id = ""
        id = try library().id
    }

    /// The library, checked against the planned id when there is one.
    public func library() throws -> CellLibrary {
        let lib: CellLibrary
        switch kind {
        case .builtin: lib = .nangate45
        case .genlib: lib = try CellLibrary.genlib(path ?? "")
        case .liberty: lib = try CellLibrary.liberty(path ?? "")
        case .lut: lib = try CellLibrary.lut(lut ?? 0)
        }
        guard id.isEmpty || lib.id == id else {
            throw ClusterError(.badInput, "\(path ?? lib.name): the library is now \(lib.id), not \(id) as planned")
        }
        return lib
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
