import Foundation

extension AbcDriver {
    /// Has ABC read `library` (`read_genlib` or `read_lib`) once, before any design is labelled,
    /// so that a garbage or empty library is refused (``SynthesisError/badLibrary(_:_:)``, 65)
    /// instead of turning every label into a failed run. LUT targets need no file. A library
    /// already checked by this process is not read again.
    public func checkLibrary(_ library: CellLibrary) throws(SynthesisError) {
        let command: String
        switch library.kind {
        case .genlib: command = "read_genlib"
        case .liberty: command = "read_lib"
        case .lut: return
        }
        if LibraryChecks.shared.passed(library.id) { return }
        let abc = try resolvedExecutable()
        let path = try library.path() ?? ""
        let work = try TemporaryDirectory()
        let output = try Subprocess.run(abc, ["-s", "-c", "\(command) \"\(path)\""], in: work.path, timeout: 600)
        let text = AbcOutput.stripANSI(output.stdout + "\n" + output.stderr)
        // ABC exits 0 after a failed read: its own words say whether the library has cells.
        let read: Bool
        switch library.kind {
        case .genlib: read = text.contains("Entered genlib library with") && !text.contains("has failed")
        default: read = text.range(of: #"has [1-9][0-9]* cells"#, options: .regularExpression) != nil
        }
        guard !output.timedOut, !output.signalled, output.status == 0, read else {
            let why = output.signalled ? "ABC died reading it (signal \(output.status))" : AbcOutput.messages(text)
            throw .badLibrary(library.source.displayPath ?? library.name, "ABC's \(command) cannot use it: \(why.isEmpty ? "no cells read" : why)")
        }
        LibraryChecks.shared.add(library.id)
    }
}

/// Libraries this process has seen ABC read.
final class LibraryChecks: @unchecked Sendable {
    static let shared = LibraryChecks()
    private let lock = NSLock()
    private var ids: Set<String> = []
    func passed(_ id: String) -> Bool { lock.withLock { ids.contains(id) } }
    func add(_ id: String) { _ = lock.withLock { ids.insert(id) } }
}

extension CellLibrary.Source {
    var displayPath: String? {
        if case .file(let path) = self { return path }
        return nil
    }
}
