/// The names of stored designs, for resolving the design named in a label file.
///
/// A name matches a design of exactly that name; failing that, a design whose name is it plus
/// `_orig` (OpenABC-D calls `ac97_ctrl` the design whose file is `ac97_ctrl_orig.bench`).
public struct DesignNames: Sendable {
    public enum Resolution: Sendable, Equatable {
        case found(Int64)
        case unknown
        case ambiguous([Int64])
    }

    private var exact: [String: [Int64]] = [:]
    private var withoutOrig: [String: [Int64]] = [:]
    private var sources: [Int64: String] = [:]
    public let count: Int

    public init(_ designs: [DesignRow]) {
        for d in designs {
            exact[d.name, default: []].append(d.id)
            sources[d.id] = d.source
            if d.name.hasSuffix("_orig"), d.name.count > 5 { withoutOrig[String(d.name.dropLast(5)), default: []].append(d.id) }
        }
        count = designs.count
    }

    public func resolve(_ name: String) -> Resolution {
        guard let ids = exact[name] ?? withoutOrig[name] else { return .unknown }
        return ids.count == 1 ? .found(ids[0]) : .ambiguous(ids)
    }

    /// The id, or why the name does not name exactly one design.
    func id(_ name: String) -> Result<Int64, ReasonText> {
        switch resolve(name) {
        case .found(let id): .success(id)
        case .unknown:
            .failure(ReasonText(
                "unknown design '\(excerpt(name))': expected the name of an imported design (\(count) in the database; "
                    + "import it first with `qor import designs`)"))
        case .ambiguous(let ids):
            .failure(ReasonText(
                "design name '\(excerpt(name))' is ambiguous: designs \(ids.map { "#\($0) (\(sources[$0] ?? "?"))" }.joined(separator: ", ")) have it"))
        }
    }
}

/// A reason a row is bad, carried through `Result`.
struct ReasonText: Error {
    var text: String
    init(_ text: String) { self.text = text }
}
