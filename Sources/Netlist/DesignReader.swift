import Common
import Foundation

/// The file formats `qor` reads.
public enum DesignFormat: String, Sendable, CaseIterable {
    case aag, aig, bench, verilog, blif
}

/// How to turn Verilog into an AIG.
public enum VerilogFrontend: String, Sendable, CaseIterable {
    /// The built-in structural reader, falling back to yosys (with a notice) for RTL it cannot read.
    case auto
    /// Only the built-in structural reader.
    case builtin
    /// Always yosys.
    case yosys
}

public struct ReadOptions: Sendable {
    /// Top module for Verilog; inferred when nil.
    public var top: String?
    public var frontend: VerilogFrontend
    /// Called with one-line notices (such as falling back to yosys).
    public var notice: @Sendable (String) -> Void
    /// What reads RTL for `.yosys` and `.auto` (`Synthesis.YosysFrontend`); nil: structural Verilog only.
    public var rtl: (any RTLFrontend)?

    public init(top: String? = nil, frontend: VerilogFrontend = .auto, rtl: (any RTLFrontend)? = nil,
                notice: @escaping @Sendable (String) -> Void = { _ in }) {
        self.top = top
        self.frontend = frontend
        self.rtl = rtl
        self.notice = notice
    }
}

/// Reads any supported design file into a clean ``Aig``.
public enum DesignReader {
    public static func read(path: String, options: ReadOptions = ReadOptions()) throws(NetlistError) -> Aig {
        let bytes = try FileIO.readBytes(path)
        return try read(bytes: bytes, file: path, options: options)
    }

    public static func read(bytes: [UInt8], file: String, options: ReadOptions = ReadOptions()) throws(NetlistError) -> Aig {
        guard !bytes.isEmpty else { throw NetlistError(file: file, at: .byteOffset(0), "empty file: expected a design") }
        guard let format = detectFormat(file: file, bytes: bytes) else {
            throw NetlistError(file: file, at: .line(1), "unknown design format: expected AIGER, BENCH, BLIF or Verilog")
        }
        let aig: Aig
        switch format {
        case .aag, .aig: aig = try AigerReader.read(bytes, file: file)
        case .bench: aig = try BenchReader.read(bytes, file: file)
        case .blif: aig = try BlifReader.read(bytes, file: file)
        case .verilog: aig = try VerilogReader.read(bytes, file: file, options: options)
        }
        // BENCH, BLIF and the Verilog reader say where; this catches AIGER and yosys's output.
        guard !aig.outputs.isEmpty || aig.latchCount > 0 else {
            throw NetlistError(file: file, at: format == .aig ? .byteOffset(0) : .line(1), "no outputs: \(DesignLimits.noOutputs)")
        }
        return aig
    }

    /// The format, found from the content first and the extension second.
    public static func detectFormat(file: String, bytes: [UInt8]) -> DesignFormat? {
        let head = bytes.prefix(4)
        if head.elementsEqual("aag ".utf8) { return .aag }
        if head.elementsEqual("aig ".utf8) { return .aig }
        let ext = (file as NSString).pathExtension.lowercased()
        switch ext {
        case "aag": return .aag
        case "aig": return .aig
        case "bench": return .bench
        case "blif": return .blif
        case "v", "sv", "verilog": return .verilog
        default: break
        }
        // Sniff the first meaningful line of text formats.
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
            if [".model", ".inputs", ".outputs", ".names", ".latch"].contains(where: line.hasPrefix) { return .blif }
            if ["INPUT(", "INPUT (", "OUTPUT(", "OUTPUT ("].contains(where: line.hasPrefix) { return .bench }
            if ["module ", "module(", "macromodule ", "`", "/*", "(*"].contains(where: line.hasPrefix) || line == "module" {
                return .verilog
            }
        }
        return nil
    }
}

/// File access with errors that name the file; writes go to a temporary name and are renamed.
public enum FileIO {
    public static func readBytes(_ path: String) throws(NetlistError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw NetlistError(.missingFile, file: path, "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NetlistError(.io, file: path, "cannot read the file")
        }
        return [UInt8](data)
    }

    /// Writes atomically (see ``AtomicFile``): an existing file is replaced whole or not at all.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(NetlistError) {
        do { try AtomicFile.write(bytes, to: path) } catch {
            throw NetlistError(.io, file: path, error.reason)
        }
    }
}
