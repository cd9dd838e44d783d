import Foundation

/// A teacher's predictions of the training labels, made once per run (a supernode teacher runs its
/// whole GNN per flow, so it must not run per step), as standardised targets in the student's
/// scaling, and the teacher's own uncertainty: the spread of its residuals on each design.
struct TeacherTargets {
    /// Label row → the teacher's standardised (delay, area), in the student's `TargetScaling`.
    let outputs: [Int: (Float, Float)]
    /// Design → log-variance (delay, area) of the teacher's residuals on that design's training
    /// labels, in effect units (over the spread), at least `floor`: the variance of its Gaussian.
    let logVariance: [Int: (Float, Float)]
    /// Seconds the teacher took to predict.
    let seconds: Double

    /// Predicts `rows` of `set` with `teacher`, one call per design; `labels` are every row's
    /// standardised targets in the student's scaling, `spread` the student's spread.
    init(teacher: QoRPredictor, set: TrainingSet, rows: [Int], scaling: TargetScaling, labels: [(Float, Float)],
         spread: (Float, Float), floor: Double) throws(ModelError) {
        let start = Date()
        var byDesign: [Int: [Int]] = [:]
        for r in rows { byDesign[set.examples[r].design, default: []].append(r) }
        var outputs: [Int: (Float, Float)] = [:], logVariance: [Int: (Float, Float)] = [:]
        for d in byDesign.keys.sorted() {
            let rs = byDesign[d] ?? [], design = set.designs[d]
            let predicted = try teacher.predict(design, flows: rs.map { set.flows[set.examples[$0].flow] })
            var s0 = 0.0, s1 = 0.0
            for (r, p) in zip(rs, predicted) {
                let y = scaling.targets(delay: p.delay, area: p.area, stats: design.stats)
                outputs[r] = (Float(y.0), Float(y.1))
                let e0 = (y.0 - Double(labels[r].0)) / Double(spread.0), e1 = (y.1 - Double(labels[r].1)) / Double(spread.1)
                s0 += e0 * e0
                s1 += e1 * e1
            }
            let n = Double(max(1, rs.count))
            logVariance[d] = (Float(Foundation.log(max(floor, s0 / n))), Float(Foundation.log(max(floor, s1 / n))))
        }
        self.outputs = outputs
        self.logVariance = logVariance
        seconds = Date().timeIntervalSince(start)
    }
}
