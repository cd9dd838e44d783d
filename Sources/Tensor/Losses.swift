/// Regression losses, averaged over all elements.
public enum Loss: Sendable, Equatable {
    case mse, l1
    /// Quadratic within `delta` of the target, linear beyond.
    case huber(delta: Double)
}

extension Tape {
    /// Mean loss between prediction and target (same element count): shape [1].
    public func loss(_ kind: Loss, _ prediction: Value, _ target: Value) -> Value {
        let pv = values[prediction.id], tv = values[target.id]
        precondition(pv.count == tv.count, "loss: \(pv.shape) vs \(tv.shape)")
        let n = S(Swift.max(pv.count, 1))
        var total: S = 0
        for i in 0..<pv.count {
            let d = pv.data[i] - tv.data[i]
            switch kind {
            case .mse: total += d * d
            case .l1: total += Swift.abs(d)
            case let .huber(delta):
                let dl = S(delta), a = Swift.abs(d)
                total += a <= dl ? S(0.5) * d * d : dl * (a - S(0.5) * dl)
            }
        }
        let value = total / n
        return op([1], inputs: [prediction, target], { $0[0] = value }) { g, o in
            let gy = g.upstream(o).data[0], pv = g.values[prediction.id], tv = g.values[target.id]
            func derivative(_ i: Int) -> S {
                let d = pv.data[i] - tv.data[i]
                switch kind {
                case .mse: return 2 * d
                case .l1: return d > 0 ? 1 : (d < 0 ? -1 : 0)
                case let .huber(delta):
                    let dl = S(delta)
                    return Swift.abs(d) <= dl ? d : (d > 0 ? dl : -dl)
                }
            }
            g.accumulate(prediction) { gp in for i in 0..<gp.count { gp[i] += gy * derivative(i) / n } }
            g.accumulate(target) { gt in for i in 0..<gt.count { gt[i] -= gy * derivative(i) / n } }
        }
    }

    public func mse(_ prediction: Value, _ target: Value) -> Value { loss(.mse, prediction, target) }
    public func l1(_ prediction: Value, _ target: Value) -> Value { loss(.l1, prediction, target) }
    public func huber(_ prediction: Value, _ target: Value, delta: Double = 1) -> Value { loss(.huber(delta: delta), prediction, target) }
}
