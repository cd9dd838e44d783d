import Common
import Flows
import Foundation
import Testing
@testable import Synthesis

@Test func theEmbeddedDefaultIsByteForByteLibsNangate45() throws {
    let file = try String(contentsOfFile: repositoryRoot + "/libs/nangate45.genlib", encoding: .utf8)
    #expect(CellLibrary.nangate45Text == file)
    let fromFile = try CellLibrary.genlib(repositoryRoot + "/libs/nangate45.genlib")
    #expect(fromFile == CellLibrary.nangate45)
    #expect(fromFile.id == "genlib:" + StableHash.hex(StableHash.fnv1a64(file)))
    #expect(CellLibrary.nangate45.name == "nangate45")
}

@Test func theDefaultLibraryIsWrittenOutForAbcWithTheSameText() throws {
    let path = try #require(try CellLibrary.nangate45.path())
    #expect(try String(contentsOfFile: path, encoding: .utf8) == CellLibrary.nangate45Text)
}

/// The `area` attribute of every cell in a Liberty text, found in one pass over its bytes.
private func libertyAreas(_ text: String) -> [String: Double] {
    let cellKey = Array("cell (".utf8)
    let areaKey = Array("area".utf8)
    var areas: [String: Double] = [:]
    Array(text.utf8).withUnsafeBufferPointer { bytes in
        func matches(_ key: [UInt8], at i: Int) -> Bool {
            i + key.count <= bytes.count && key.indices.allSatisfy { bytes[i + $0] == key[$0] }
        }
        func token(from start: Int, while keep: (UInt8) -> Bool) -> (String, Int) {
            var end = start
            while end < bytes.count, keep(bytes[end]) { end += 1 }
            return (String(decoding: bytes[start..<end], as: UTF8.self), end)
        }
        var i = 0
        var cell: String?
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "c"), matches(cellKey, at: i) {
                (cell, i) = token(from: i + cellKey.count) { $0 != UInt8(ascii: ")") }
            } else if let name = cell, bytes[i] == UInt8(ascii: "a"), matches(areaKey, at: i) {
                var j = i + areaKey.count
                while j < bytes.count, bytes[j] == UInt8(ascii: " ") || bytes[j] == 9 || bytes[j] == UInt8(ascii: ":") { j += 1 }
                let (number, end) = token(from: j) { $0 == UInt8(ascii: ".") || (48...57).contains($0) }
                areas[name] = Double(number)
                cell = nil
                i = end
            } else {
                i += 1
            }
        }
    }
    return areas
}

// The genlib's header states its rule; the areas are the Liberty `area` of the X1 cells.
@Test(.enabled(if: shared("libs/liberty/nangate45_typ.lib.gz") != nil, "needs ../shared/libs/liberty/nangate45_typ.lib.gz"))
func genlibAreasAreTheLibertyAreas() throws {
    let gz = try #require(shared("libs/liberty/nangate45_typ.lib.gz"))
    let areas = libertyAreas(try runProgram("/bin/gzip", ["-dc", gz], cwd: try temporaryDirectory()))
    #expect(areas["INV_X1"] == 0.532)
    let gates = CellLibrary.nangate45Text.matches(of: try Regex(#"GATE\s+(\S+)\s+([0-9.]+)"#))
    #expect(gates.count >= 30)
    for gate in gates {
        let name = try #require(gate.output[1].substring.map(String.init))
        #expect(areas[name] == gate.output[2].substring.flatMap { Double($0) }, "\(name)")
    }
}

@Test(.enabled(if: shared("libs/liberty/nangate45_typ.lib.gz") != nil, "needs ../shared/libs/liberty/nangate45_typ.lib.gz"))
func aGzippedLibertyIsIdentifiedByItsUnpackedContent() throws {
    let gz = try #require(shared("libs/liberty/nangate45_typ.lib.gz"))
    let unpacked = try temporaryDirectory() + "/nangate45_typ.lib"
    let text = try runProgram("/bin/gzip", ["-dc", gz], cwd: try temporaryDirectory())
    try text.write(toFile: unpacked, atomically: true, encoding: .utf8)
    let a = try CellLibrary.liberty(gz)
    let b = try CellLibrary.liberty(unpacked)
    #expect(a == b)
    #expect(a.id == "liberty:" + StableHash.hex(Data(text.utf8).withUnsafeBytes { StableHash.fnv1a64($0) }))
    #expect(a.name == "nangate45_typ")
    let path = try #require(try a.path())
    #expect(!path.hasSuffix(".gz"))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
}

@Test func lutLibrariesAreIdentifiedByTheirSize() throws {
    #expect(try CellLibrary.lut(6).id == "lut:6")
    #expect(try CellLibrary.lut(6) == CellLibrary.lut(6))
    #expect(try CellLibrary.lut(6) != CellLibrary.lut(4))
    #expect(try CellLibrary.lut(6).contentHash == nil)
}
