/// How a student learns from a teacher model (COMPRESSION.md §5).
public enum DistillationMode: String, Sendable, Codable, CaseIterable {
    /// Mean squared error between the student's effects and the teacher's (in the student's
    /// standardised, spread-scaled effect units: the units of the task loss).
    case plain
    /// MV2D's multi-view variational objective with Gaussian heads: the teacher's predictive
    /// distribution (one view) and the student's observation head (the other) both teach the
    /// student's bottleneck path (VCD and VSD), beside the observation head's own task loss.
    case mv2d
}

/// The settings of a distillation run; the weights are those of `total = task + weight·term`.
public struct DistillationSettings: Sendable, Equatable {
    public var mode: DistillationMode
    /// Weight of the distillation term beside the task loss (0: exactly the undistilled training).
    public var weight: Double
    /// MV2D's temperature τ (both KLs), and the weights of its VSD and VCD terms inside the term.
    public var temperature: Double
    public var vsd: Double
    public var vcd: Double
    /// Smallest variance of the teacher's Gaussian, in effect units (a teacher that fits its
    /// training labels exactly would otherwise claim infinite certainty).
    public var teacherVarianceFloor: Double

    public init(mode: DistillationMode = .plain, weight: Double = 1, temperature: Double = 1, vsd: Double = 1, vcd: Double = 1,
                teacherVarianceFloor: Double = 0.01) {
        self.mode = mode
        self.weight = weight
        self.temperature = temperature
        self.vsd = vsd
        self.vcd = vcd
        self.teacherVarianceFloor = teacherVarianceFloor
    }

    /// Checks the settings are usable, naming the first one that is not.
    func validate() throws(ModelError) {
        guard weight.isFinite, weight >= 0 else { throw ModelError(.usage, "distillation weight must be finite and ≥ 0, found \(weight)") }
        guard temperature.isFinite, temperature > 0 else { throw ModelError(.usage, "distillation temperature must be > 0, found \(temperature)") }
        guard vsd.isFinite, vsd >= 0, vcd.isFinite, vcd >= 0 else { throw ModelError(.usage, "VSD and VCD weights must be ≥ 0, found \(vsd), \(vcd)") }
        guard teacherVarianceFloor.isFinite, teacherVarianceFloor > 0 else {
            throw ModelError(.usage, "teacher variance floor must be > 0, found \(teacherVarianceFloor)")
        }
    }

    /// The settings as a compression step records them.
    var recorded: [String: String] {
        var s = ["mode": mode.rawValue, "weight": "\(weight)"]
        if mode == .mv2d {
            s["temperature"] = "\(temperature)"
            s["vsd"] = "\(vsd)"
            s["vcd"] = "\(vcd)"
            s["heads"] = "gaussian"
            s["teacherVarianceFloor"] = "\(teacherVarianceFloor)"
        }
        return s
    }
}
