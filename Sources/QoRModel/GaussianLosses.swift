import Tensor

/// The Gaussian forms of MV2D's predictive distributions (COMPRESSION.md §5): QoR is a regression,
/// so P(y|·) is a Gaussian per output with a mean and a log-variance, and the KL between two of
/// them has a closed form. Composed of taped element-wise ops, so gradients come from theirs.
extension Tape {
    /// Mean over elements of KL( N(μp, τ·e^lp) ‖ N(μq, τ·e^lq) )
    /// `= ½[(lq − lp) + e^(lp − lq) + (μp − μq)²·e^(−lq)/τ − 1]`.
    ///
    /// τ is MV2D's temperature: a Gaussian density raised to 1/τ and renormalised is the same
    /// Gaussian with τ times the variance, so softening scales both variances by τ (which cancels
    /// in the variance terms) and divides the mean term by τ. `logVarQ` may be a row `[1, k]`
    /// shared by every row of `meanQ`; the others share one shape.
    func gaussianKL(meanP: Value, logVarP: Value, meanQ: Value, logVarQ: Value, temperature: Double = 1) -> Value {
        let dl = sub(logVarQ, logVarP)
        let ratio = exp(affine(dl, scale: -1))
        let d = sub(meanP, meanQ)
        let meanTerm = affine(mul(mul(d, d), exp(affine(logVarQ, scale: -1))), scale: 1 / temperature)
        let rows = add(add(dl, ratio), meanTerm)
        return affine(mean(rows), scale: 0.5, shift: -0.5)
    }

    /// Mean over elements of the Gaussian negative log-likelihood of `target` under N(μ, e^l),
    /// without the constant: `½[l + (y − μ)²·e^(−l)]`. The task loss of a distributional head.
    func gaussianNLL(_ target: Value, mean mu: Value, logVar: Value) -> Value {
        let d = sub(target, mu)
        return affine(mean(add(logVar, mul(mul(d, d), exp(affine(logVar, scale: -1))))), scale: 0.5)
    }

    /// `x`'s value with no gradient path back: the "detached" branch of VSD and VCD.
    func detached(_ x: Value) -> Value { constant(value(x)) }
}
