import Foundation

/// Settings of CHEX channel exploration (COMPRESSION.md §3.1); defaults from the official
/// README (δ₀ = 0.2, Δt = 2 epochs, T_max = 0.72 of the epochs).
public struct ChexOptions: Sendable, Equatable {
    /// Target channel sparsity κ: the fraction of prunable channels removed at the end.
    public var kappa: Double
    /// Epochs between prune/regrow steps (Δt).
    public var interval = 2
    /// Initial regrow fraction δ₀.
    public var initialRegrow = 0.2
    /// End of exploration as a fraction of the epochs.
    public var explorationFraction = 0.72
    /// Regrow by importance sampling (residual off the kept span); false: uniformly.
    public var importanceSampling = true

    public init(kappa: Double, interval: Int = 2) {
        self.kappa = kappa
        self.interval = interval
    }
}

/// When CHEX updates and by how much it regrows; epochs `t` count from 0.
public struct ChexSchedule: Sendable, Equatable {
    public let initialRegrow: Double
    public let interval: Int
    /// The last exploration epoch T_max.
    public let tMax: Int

    public init(initialRegrow: Double, interval: Int, tMax: Int) {
        self.initialRegrow = initialRegrow
        self.interval = max(1, interval)
        self.tMax = max(1, tMax)
    }

    /// The schedule of `options` over `epochs` epochs: T_max = round(fraction × epochs), at least 1.
    public init(_ options: ChexOptions, epochs: Int) {
        self.init(initialRegrow: options.initialRegrow, interval: options.interval,
                  tMax: Int((options.explorationFraction * Double(epochs)).rounded()))
    }

    /// δ_t = δ₀ (1 + cos(π t / T_max)) / 2 up to T_max, 0 after.
    public func regrow(at t: Int) -> Double {
        guard t < tMax else { return 0 }
        return initialRegrow * (1 + cos(Double.pi * Double(t) / Double(tMax))) / 2
    }

    /// Whether epoch `t` starts with a prune/regrow step: multiples of Δt in 1...T_max, and
    /// T_max itself (where δ = 0), so that the sub-model fixed from there has sparsity κ even
    /// when T_max is not a multiple of Δt [T: the reference relies on it being one].
    public func updates(at t: Int) -> Bool { t >= 1 && t <= tMax && (t % interval == 0 || t == tMax) }
}
