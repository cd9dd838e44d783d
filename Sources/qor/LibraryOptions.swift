import ArgumentParser
import Synthesis

/// `--genlib`, `--liberty` or `--lut`: the mapping target; the built-in Nangate 45 genlib by default.
struct LibraryOptions: ParsableArguments {
    @Option(help: "Map with this genlib file.") var genlib: String?
    @Option(help: "Map with this Liberty file (a .gz is unpacked to a temporary file first).") var liberty: String?
    @Option(help: "Map to K-input LUTs (area = LUT count, delay = LUT depth).") var lut: Int?

    func validate() throws {
        if [genlib != nil, liberty != nil, lut != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give at most one of --genlib, --liberty, --lut")
        }
    }

    func library() throws -> CellLibrary {
        if let genlib { return try CellLibrary.genlib(genlib) }
        if let liberty { return try CellLibrary.liberty(liberty) }
        if let lut { return try CellLibrary.lut(lut) }
        return .nangate45
    }
}
