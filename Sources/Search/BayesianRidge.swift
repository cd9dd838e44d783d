import Common
import Flows
import Foundation

/// Bayesian linear regression `y = w·φ + ε`, `ε ~ N(0, noise)`, with a Gaussian prior on `w`
/// (mean `priorMean`, diagonal variances `priorVariance`), in closed form. Small dense problems
/// only (tens of features): the posterior is kept as the Cholesky factor of its precision.
public struct BayesianRidge: Sendable {
    public let mean: [Double]
    /// Lower Cholesky factor of the posterior precision `A = ΦᵀΦ/noise + Λ⁻¹`.
    let precisionFactor: [Double]
    public let noise: Double
    /// Log marginal likelihood of the data under the prior (the evidence), for choosing the prior.
    public let logEvidence: Double
    let p: Int

    /// Returns nil only when the precision is not positive definite (non-positive variances).
    public init?(x: [[Double]], y: [Double], priorMean: [Double], priorVariance: [Double], noise: Double) {
        let p = priorMean.count, n = y.count
        guard priorVariance.count == p, noise > 0, priorVariance.allSatisfy({ $0 > 0 }) else { return nil }
        var a = [Double](repeating: 0, count: p * p), b = [Double](repeating: 0, count: p)
        var rr = 0.0
        for (row, t) in zip(x, y) {
            let r = t - zip(row, priorMean).reduce(0) { $0 + $1.0 * $1.1 }
            rr += r * r
            for i in 0..<p {
                b[i] += row[i] * r / noise
                for j in 0...i { a[i * p + j] += row[i] * row[j] / noise }
            }
        }
        for i in 0..<p { for j in 0..<i { a[j * p + i] = a[i * p + j] } }
        for i in 0..<p { a[i * p + i] += 1 / priorVariance[i] }
        guard let l = Self.cholesky(a, p) else { return nil }
        // Posterior mean: μ0 + A⁻¹ b, with b = Φᵀ(y − Φμ0)/noise.
        let shift = Self.solveLower(l, p, b).map { $0 } // L z = b
        let delta = Self.solveUpper(l, p, shift)         // Lᵀ d = z
        mean = zip(priorMean, delta).map { $0 + $1 }
        precisionFactor = l
        self.noise = noise
        self.p = p
        // log N(y; Φμ0, noise I + ΦΛΦᵀ) by the determinant lemma and Woodbury.
        var logDetA = 0.0
        for i in 0..<p { logDetA += 2 * Foundation.log(l[i * p + i]) }
        let logDetPrior = priorVariance.reduce(0) { $0 + Foundation.log($1) }
        let quad = rr / noise - shift.reduce(0) { $0 + $1 * $1 }
        logEvidence = -0.5 * (quad + logDetA + logDetPrior + Double(n) * Foundation.log(noise) + Double(n) * Foundation.log(2 * Double.pi))
    }

    /// The posterior mean prediction for one feature row.
    public func predict(_ row: [Double]) -> Double { zip(mean, row).reduce(0) { $0 + $1.0 * $1.1 } }

    /// A draw of the weights from the posterior (Thompson sampling): `μ + L⁻ᵀ z`, `z ~ N(0, I)`.
    public func sample(using g: inout SplitMix64) -> [Double] {
        let z = (0..<p).map { _ in Gaussian.next(&g) }
        let d = Self.solveUpper(precisionFactor, p, z)
        return zip(mean, d).map { $0 + $1 }
    }

    static func cholesky(_ a: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        return l
    }

    /// Solves `L z = b` for lower-triangular `L`.
    static func solveLower(_ l: [Double], _ n: Int, _ b: [Double]) -> [Double] {
        var z = b
        for i in 0..<n {
            var s = z[i]
            for k in 0..<i { s -= l[i * n + k] * z[k] }
            z[i] = s / l[i * n + i]
        }
        return z
    }

    /// Solves `Lᵀ x = z` for lower-triangular `L`.
    static func solveUpper(_ l: [Double], _ n: Int, _ z: [Double]) -> [Double] {
        var x = z
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<n { s -= l[k * n + i] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }
}

/// Standard normal draws from a SplitMix64 stream (Box–Muller).
enum Gaussian {
    static func next(_ g: inout SplitMix64) -> Double {
        let u1 = (Double(g.next() >> 11) + 1) / 9_007_199_254_740_993.0
        let u2 = Double(g.next() >> 11) / 9_007_199_254_740_992.0
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}
