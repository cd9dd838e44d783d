import Foundation
import Netlist

/// Designs the shipped model never saw, made in a temporary directory for `qor bench search`:
/// ABC `gen` circuits of sizes not in `designs/gen` (unoptimised like those: `if -K 6; sop;
/// strash`), and single-output cones of EPFL designs (whose full versions are seed designs).
public enum BenchmarkDesigns {
    /// (name, ABC commands that leave the design as the current network).
    static func recipes(shared: String?) -> [(String, String)] {
        let unoptimise = "strash; if -K 6; sop; strash"
        var out = [
            ("mult_12", "gen -m -N 12 {dir}/g.blif; read {dir}/g.blif; \(unoptimise)"),
            ("booth_12", "gen -b -N 12 {dir}/g.blif; read {dir}/g.blif; \(unoptimise)"),
            ("sorter_24", "gen -s -N 24 {dir}/g.blif; read {dir}/g.blif; \(unoptimise)"),
            ("adder_96", "gen -a -N 96 {dir}/g.blif; read {dir}/g.blif; \(unoptimise)"),
        ]
        if let shared {
            let epfl = shared + "/designs/epfl"
            out += [
                ("multiplier_o24", "read \(epfl)/arithmetic/multiplier.aig; cone -O 24; strash"),
                ("square_o30", "read \(epfl)/arithmetic/square.aig; cone -O 30; strash"),
                ("sin_o10", "read \(epfl)/arithmetic/sin.aig; cone -O 10; strash"),
                ("sqrt_o40", "read \(epfl)/arithmetic/sqrt.aig; cone -O 40; strash"),
            ]
        }
        return out
    }

    /// Writes the designs as `dir/NAME.aig` with ABC and returns (name, path), in order. Without
    /// `shared` (the `../shared` directory) only the generated ones are made.
    public static func make(in dir: String, shared: String?, abc: String = "berkeley-abc") throws -> [(name: String, path: String)] {
        var out: [(name: String, path: String)] = []
        for (name, recipe) in recipes(shared: shared) {
            let path = "\(dir)/\(name).aig"
            let script = recipe.replacingOccurrences(of: "{dir}", with: dir) + "; write_aiger -s \(path)"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [abc, "-q", script]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { throw SearchError(.io, "\(abc): cannot start: \(error)") }
            process.waitUntilExit()
            guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: path) else {
                throw SearchError(.io, "\(path): ABC did not write the design (\(script))")
            }
            out.append((name, path))
        }
        return out
    }
}
