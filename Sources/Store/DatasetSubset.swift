/// The part of a dataset an import takes: some of its designs (by the dataset's own names) and the
/// flows whose index in the dataset is below a bound (LOSTIN: the line of the flow file; OpenABC-D:
/// the recipe's sid). A whole dataset need not be imported to train on part of it.
public struct DatasetSubset: Sendable, Equatable {
    /// Designs to take; nil takes every design.
    public var designs: Set<String>?
    /// Flows with an index below this; nil takes every flow.
    public var flowsBelow: Int?

    public init(designs: Set<String>? = nil, flowsBelow: Int? = nil) {
        self.designs = designs
        self.flowsBelow = flowsBelow
    }

    public static let all = DatasetSubset()

    func takes(design: String) -> Bool { designs?.contains(design) ?? true }

    func takes(flowIndex: Int) -> Bool { flowsBelow.map { flowIndex < $0 } ?? true }

    /// Refuses a design asked for that the dataset does not hold: a typo would otherwise import nothing of it, silently.
    func checkDesigns(found: some Sequence<String>, in directory: String) throws(StoreError) {
        guard let designs else { return }
        let present = Set(found)
        let missing = designs.subtracting(present).sorted()
        guard missing.isEmpty else {
            let listed = present.sorted().prefix(20).joined(separator: ", ")
            throw StoreError(.usage, "\(directory): no labels of design\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) in the dataset; it holds \(present.count): \(listed)\(present.count > 20 ? ", ..." : "")")
        }
    }
}
