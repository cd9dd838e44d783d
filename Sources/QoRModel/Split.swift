import Tensor

/// How labels are divided into training, validation (early stopping) and test sets.
public enum SplitKind: String, Sendable, Codable, CaseIterable {
    /// Held-out flows: every design is seen in training, some flows never are.
    case flows
    /// Held-out designs: the test designs are never seen in training.
    case designs
    /// No test part, for a model whose test set is elsewhere (another dataset, new designs): every
    /// design is trained on and a seeded tenth of the flows validates (early stopping).
    case none
}

/// Positions into `TrainingSet.examples` for each part.
public struct DataSplit: Sendable, Equatable {
    public var train: [Int]
    public var validation: [Int]
    public var test: [Int]

    public init(train: [Int], validation: [Int], test: [Int]) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// Splits by flow (a flow is in exactly one part, for every design) or by design (`holdout`
    /// names the test designs; when empty, a seeded fifth of the designs is held out). The
    /// validation part is a tenth of the flows, or of the remaining designs.
    public static func make(_ set: TrainingSet, kind: SplitKind, holdout: [String] = [], seed: UInt64,
                            testFraction: Double = 0.2, validationFraction: Double = 0.1) throws(ModelError) -> DataSplit {
        var rng = SeededGenerator(seed: seed ^ 0x5EED_5711)
        func shuffled(_ n: Int) -> [Int] {
            var order = Array(0..<n)
            order.shuffle(using: &rng)
            return order
        }
        var part = [Int](repeating: 0, count: 0)
        switch kind {
        case .flows:
            guard holdout.isEmpty else { throw ModelError(.usage, "--holdout names designs; it needs --split designs") }
            let used = Array(Set(set.examples.map(\.flow))).sorted()
            guard used.count >= 3 else { throw ModelError(.badInput, "a flow split needs at least 3 distinct flows, found \(used.count)") }
            part = [Int](repeating: 0, count: set.flows.count)
            let order = shuffled(used.count)
            let nTest = max(1, Int((Double(used.count) * testFraction).rounded()))
            let nVal = max(1, Int((Double(used.count) * validationFraction).rounded()))
            for (k, i) in order.enumerated() { part[used[i]] = k < nTest ? 2 : k < nTest + nVal ? 1 : 0 }
            return collect(set.examples.map { part[$0.flow] })
        case .none:
            guard holdout.isEmpty else { throw ModelError(.usage, "--holdout names designs; it needs --split designs") }
            let used = Array(Set(set.examples.map(\.flow))).sorted()
            guard used.count >= 2 else { throw ModelError(.badInput, "training without a test part needs at least 2 distinct flows (one validates), found \(used.count)") }
            part = [Int](repeating: 0, count: set.flows.count)
            let order = shuffled(used.count)
            let nVal = max(1, Int((Double(used.count) * validationFraction).rounded()))
            for (k, i) in order.enumerated() { part[used[i]] = k < nVal ? 1 : 0 }
            return collect(set.examples.map { part[$0.flow] })
        case .designs:
            let used = Array(Set(set.examples.map(\.design))).sorted()
            guard used.count >= 3 else { throw ModelError(.badInput, "a design split needs at least 3 labelled designs, found \(used.count)") }
            part = [Int](repeating: 0, count: set.designs.count)
            var rest: [Int]
            if holdout.isEmpty {
                let order = shuffled(used.count).map { used[$0] }
                let nTest = max(1, Int((Double(used.count) * testFraction).rounded()))
                for d in order.prefix(nTest) { part[d] = 2 }
                rest = Array(order.dropFirst(nTest))
            } else {
                for name in holdout {
                    let matches = used.filter { set.designs[$0].name == name || set.designs[$0].hash == name }
                    guard !matches.isEmpty else {
                        let names = used.map { set.designs[$0].name }.sorted().joined(separator: ", ")
                        throw ModelError(.usage, "--holdout \(name): no labelled design of that name; expected one of: \(names)")
                    }
                    for d in matches { part[d] = 2 }
                }
                rest = used.filter { part[$0] == 0 }
                rest = shuffled(rest.count).map { rest[$0] }
            }
            guard rest.count >= 2 else { throw ModelError(.badInput, "holding out those designs leaves fewer than 2 to train on") }
            let nVal = max(1, Int((Double(rest.count) * validationFraction).rounded()))
            for d in rest.prefix(nVal) { part[d] = 1 }
            return collect(set.examples.map { part[$0.design] })
        }
    }

    private static func collect(_ parts: [Int]) -> DataSplit {
        var s = DataSplit(train: [], validation: [], test: [])
        for (i, p) in parts.enumerated() {
            switch p {
            case 0: s.train.append(i)
            case 1: s.validation.append(i)
            default: s.test.append(i)
            }
        }
        return s
    }
}
