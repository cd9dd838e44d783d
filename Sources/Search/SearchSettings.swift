/// The knobs of one search.
public struct SearchSettings: Sendable {
    /// ABC runs in total for this design and library, counting every stored label of it except
    /// the reference scripts' (so a rerun continues and never repeats a flow).
    public var budget: Int
    public var objective: SearchObjective
    /// Steps of proposed flows (mutations keep it; recombinations may change it).
    public var flowLength: Int
    /// ABC runs per round, in parallel.
    public var jobs: Int
    public var seed: UInt64
    /// Wall seconds after which no new round starts.
    public var timeLimit: Double?
    /// A name of ``SearchStrategies/registry``.
    public var strategy: String
    /// Candidate flows a strategy scores per round.
    public var candidates: Int

    public init(budget: Int, objective: SearchObjective, flowLength: Int, jobs: Int = 1, seed: UInt64 = 1,
                timeLimit: Double? = nil, strategy: String = "ridge-feature", candidates: Int = 1000) {
        self.budget = budget
        self.objective = objective
        self.flowLength = flowLength
        self.jobs = jobs
        self.seed = seed
        self.timeLimit = timeLimit
        self.strategy = strategy
        self.candidates = candidates
    }
}

/// Where a search stands after a round, for progress lines.
public struct SearchProgress: Sendable {
    /// Labels counted against the budget (stored earlier plus run now).
    public var spent: Int
    public var budget: Int
    /// ABC runs made by this invocation.
    public var newRuns: Int
    public var best: VerifiedFlow?
}

/// What a search found: the best verified flow (ABC's numbers) beside the reference scripts.
public struct SearchOutcome: Sendable {
    public var design: String
    public var library: String
    public var objective: SearchObjective
    public var strategy: String
    public var budget: Int
    /// Labels counted against the budget at the end, and how many of them this invocation ran.
    public var spent: Int
    public var newRuns: Int
    /// Search labels that were already stored when the search started.
    public var resumed: Int
    public var failedRuns: Int
    public var best: VerifiedFlow?
    /// resyn2 then compress2rs, ABC's numbers.
    public var references: [(name: String, result: VerifiedFlow)]
    public var rounds: Int
    public var seconds: Double
    /// Wall seconds inside ABC runs (the labeller's batches and the reference runs).
    public var abcSeconds: Double

    /// The best's objective relative to resyn2's, in percent (negative: better than resyn2).
    public var gainOverResyn2: Double? {
        guard let best, let r = references.first(where: { $0.name == "resyn2" })?.result else { return nil }
        return 100 * (best.value(objective) / r.value(objective) - 1)
    }
}
