import Foundation
import Tensor

/// Distillation from a teacher model into the network being trained (COMPRESSION.md §5): the
/// term the trainer adds to every step's loss, `weight · term`.
///
/// - `plain`: `term = mse(effect, teacher's effect)`, the teacher's standardised outputs put
///   through the same base and spread as the labels (so the term has the task loss's units).
/// - `mv2d` [T: this toolkit's mapping of MV2D to a teacher and a regression student]: Gaussian
///   heads. Views of a (design, flow): the teacher (its observation: the whole AIG with the flow
///   as a virtual node, frozen; its Gaussian is its prediction with the variance of its residuals
///   on the design) and the student's observation `v` (the fusion layer, the joint view of the
///   graph and flow encoders). The student's bottleneck path `z` is its deployed head (hidden
///   width fusionWidth/2 < fusionWidth), N(effect, e^ρ) with a learned log-variance ρ per output;
///   an observation head N(μv, e^lv) = Linear(v) exists only in training.
///   `term = NLL(labels | v-head) + λ_VSD·KL(sg[v-head] ‖ z, τ) + λ_VCD·½·KL(teacher ‖ z, τ)`:
///   the task loss of the extra head, VSD (sufficiency: z keeps what v predicts) and VCD
///   (consistency: ½Σ_{i≠j} over the two views; the term that would teach the frozen teacher is
///   constant and dropped).
///
/// The level outputs are not distilled: their targets are each design's mean label, exact already.
/// Extra parameters (the observation head, ρ) go into the student's store after its network's
/// and are dropped before the model is saved (``QoRPredictor/droppingParameters(after:)``).
public final class DistillationObjective {
    public let settings: DistillationSettings
    public let teacher: QoRPredictor
    /// The teacher's config path as given and its weights' fingerprint (what the student's config records).
    public let parent: String?
    public let parentFingerprint: String?
    /// Seconds the teacher spent predicting the training labels (once per run).
    public private(set) var teacherSeconds = 0.0

    private var teacherTargets: TeacherTargets?
    private var labels: [(Float, Float)] = []
    private var designOf: [Int] = []
    private var observationHead: Linear?
    private var bottleneckLogVariance: ParameterID?

    public init(teacher: QoRPredictor, settings: DistillationSettings, parent: String? = nil, parentFingerprint: String? = nil)
        throws(ModelError)
    {
        try settings.validate()
        self.teacher = teacher
        self.settings = settings
        self.parent = parent
        self.parentFingerprint = parentFingerprint
    }

    /// The teacher loaded from its checkpoint (any family), with its weights' fingerprint.
    public convenience init(teacherCheckpoint path: String, settings: DistillationSettings) throws(ModelError) {
        let teacher = try QoRPredictor(checkpoint: path)
        let stamp: WeightsStamp
        do { stamp = try Checkpoint.readConfig(WeightsStamp.self, weights: path) } catch { throw ModelError(checkpoint: error) }
        try self.init(teacher: teacher, settings: settings, parent: Checkpoint.configPath(for: path),
                      parentFingerprint: stamp.weightsFingerprint)
    }

    private struct WeightsStamp: Decodable { let weightsFingerprint: String? }

    /// What the student's config records.
    public var compressionStep: CompressionStep {
        var s = settings.recorded
        s["teacher"] = teacher.config.architecture.kind.rawValue
        return CompressionStep(option: "distillation", settings: s, parent: parent, parentFingerprint: parentFingerprint)
    }

    /// Called once the student's network exists: checks the teacher fits the labels, predicts the
    /// training rows with it, and (MV2D) adds the training-only heads to `weights`.
    /// `featureWidth` is the width of the student's `NetworkOutput.features` (nil: it has none).
    func prepare(weights: ParameterStore<Float>, set: TrainingSet, train: [Int], scaling: TargetScaling, labels: [(Float, Float)],
                 spread: (Float, Float), library: String, featureWidth: Int?) throws(ModelError) {
        guard teacher.config.library == library else {
            throw ModelError(.usage, "the teacher was trained on labels of library \(teacher.config.library), the student's are of \(library)")
        }
        if settings.mode == .mv2d {
            guard let width = featureWidth else {
                throw ModelError(.usage, "MV2D distillation needs a student that exposes its fusion layer (the sequence family)")
            }
            observationHead = Linear(weights, "distill.observation", input: width, output: 4)
            bottleneckLogVariance = weights.add("distill.bottleneck.logvar", Tensor([1, 2], [0, 0]))
        }
        self.labels = labels
        designOf = set.examples.map(\.design)
        let t = try TeacherTargets(teacher: teacher, set: set, rows: train, scaling: scaling, labels: labels, spread: spread,
                                   floor: settings.teacherVarianceFloor)
        teacherTargets = t
        teacherSeconds = t.seconds
    }

    /// The weighted term for one step: `rows` are the step's labels in batch order, `bases` their
    /// bases as presented (known or unseen design), `spread` the student's.
    func loss(_ g: Tape<Float>, _ out: NetworkOutput, rows: [Int], bases: [(Float, Float)], spread: (Float, Float)) -> Value {
        var teacherEffect: [Float] = [], labelEffect: [Float] = [], teacherLogVar: [Float] = []
        for (r, base) in zip(rows, bases) {
            let t = BaseModel.effectTarget(teacherTargets?.outputs[r] ?? labels[r], base: base, spread: spread)
            let y = BaseModel.effectTarget(labels[r], base: base, spread: spread)
            let v = teacherTargets?.logVariance[designOf[r]] ?? (0, 0)
            teacherEffect += [t.0, t.1]
            labelEffect += [y.0, y.1]
            teacherLogVar += [v.0, v.1]
        }
        let n = rows.count
        let teacherMean = g.constant(Tensor([n, 2], teacherEffect))
        let term: Value
        switch settings.mode {
        case .plain:
            term = g.mse(out.effect, teacherMean)
        case .mv2d:
            guard let head = observationHead, let rho = bottleneckLogVariance, let v = out.features else {
                preconditionFailure("MV2D distillation used before prepare or with a network without features")
            }
            term = Self.mv2d(g, observation: head(g, v), bottleneckMean: out.effect, bottleneckLogVar: g.parameter(rho),
                             labels: g.constant(Tensor([n, 2], labelEffect)), teacherMean: teacherMean,
                             teacherLogVar: g.constant(Tensor([n, 2], teacherLogVar)), settings: settings)
        }
        return g.affine(term, scale: settings.weight)
    }

    /// MV2D's term (see the type's documentation) from the observation head's output `[B, 4]`
    /// (means, log-variances), the bottleneck path's means `[B, 2]` and log-variance `[1, 2]`, the
    /// labels' effects and the teacher's Gaussian.
    static func mv2d<S>(_ g: Tape<S>, observation: Value, bottleneckMean: Value, bottleneckLogVar: Value, labels: Value,
                     teacherMean: Value, teacherLogVar: Value, settings: DistillationSettings) -> Value {
        let mv = g.slice(observation, axis: 1, 0..<2), lv = g.slice(observation, axis: 1, 2..<4)
        let task = g.gaussianNLL(labels, mean: mv, logVar: lv)
        let vsd = g.gaussianKL(meanP: g.detached(mv), logVarP: g.detached(lv), meanQ: bottleneckMean, logVarQ: bottleneckLogVar,
                               temperature: settings.temperature)
        let vcd = g.gaussianKL(meanP: teacherMean, logVarP: teacherLogVar, meanQ: bottleneckMean, logVarQ: bottleneckLogVar,
                               temperature: settings.temperature)
        return g.add(task, g.add(g.affine(vsd, scale: settings.vsd), g.affine(vcd, scale: settings.vcd / 2)))
    }
}

extension QoRPredictor {
    /// The same model without the parameters registered after the first `count` (training-only
    /// heads of an objective), so that it saves and loads as a plain model of its family.
    func droppingParameters(after count: Int) -> QoRPredictor {
        let p = QoRPredictor(config: config, seed: 0)
        precondition(p.weights.names == Array(weights.names.prefix(count)), "the network's parameters come first")
        for id in p.weights.ids { p.weights[id] = weights[id] }
        return p
    }
}
