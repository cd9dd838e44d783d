import Foundation

/// The file formats `qor` writes, chosen by the output file's extension.
public enum OutputFormat: String, Sendable, CaseIterable {
    case aag, aig, graphml, dot

    /// The format for `path`'s extension, or nil when it is not one of ours.
    public init?(path: String) {
        self.init(rawValue: (path as NSString).pathExtension.lowercased())
    }
}

/// Writes an ``Aig`` in the format its output path names.
public enum DesignWriter {
    public static func bytes(_ aig: Aig, format: OutputFormat) -> [UInt8] {
        switch format {
        case .aag: AigerWriter.ascii(aig)
        case .aig: AigerWriter.binary(aig)
        case .graphml: GraphMLWriter.graphML(aig)
        case .dot: DotWriter.dot(aig)
        }
    }

    /// Writes atomically (temporary file, then rename); an unknown extension is an error.
    public static func write(_ aig: Aig, to path: String) throws(NetlistError) {
        guard let format = OutputFormat(path: path) else {
            let known = OutputFormat.allCases.map { "." + $0.rawValue }.joined(separator: ", ")
            throw NetlistError(file: path, "unknown output format: expected one of the extensions \(known)")
        }
        try FileIO.writeAtomically(bytes(aig, format: format), to: path)
    }
}
