/// Reads Verilog: the built-in structural reader (``VerilogParser``, ``VerilogElaborator``),
/// yosys, or the built-in reader with yosys as the fallback for RTL, as `options.frontend` says.
enum VerilogReader {
    static func read(_ bytes: [UInt8], file: String, options: ReadOptions) throws(NetlistError) -> Aig {
        try TextInput.validateUTF8(bytes, file: file)
        if options.frontend == .yosys { return try options.rtlFrontend(file: file).read(bytes, file: file, top: options.top) }
        do {
            return try structural(bytes, file: file, top: options.top)
        } catch {
            switch error {
            case .invalid(let e):
                throw e
            case .unsupported(var e):
                guard options.frontend == .auto else {
                    e.message += ": expected structural Verilog (read RTL with --frontend yosys or auto)"
                    throw e
                }
                let at = if case .line(let n) = e.location { " at line \(n)" } else { "" }
                let rtl = try options.rtlFrontend(file: file)
                options.notice("\(file): using yosys for RTL constructs (\(e.message.replacingPrefix("unsupported construct: "))\(at))")
                return try rtl.read(bytes, file: file, top: options.top)
            }
        }
    }

    /// The built-in reader alone.
    static func structural(_ bytes: [UInt8], file: String, top: String?) throws(VerilogError) -> Aig {
        let modules = try VerilogParser.parse(bytes, file: file)
        var elaborator = try VerilogElaborator(modules: modules, file: file)
        return try elaborator.elaborate(top: try VerilogElaborator.top(of: modules, requested: top, file: file))
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
