import Foundation

/// A sparse design matrix in compressed-row form: row i holds `values[rowStart[i]..<rowStart[i+1]]` at
/// columns `columns[…]`.
public struct SparseRows: Sendable {
    public var rowStart: [Int] = [0]
    public var columns: [Int32] = []
    public var values: [Double] = []
    public var columnCount: Int

    public init(columnCount: Int) { self.columnCount = columnCount }

    public var rowCount: Int { rowStart.count - 1 }

    public mutating func appendRow(_ entries: [(Int32, Double)]) {
        for (c, v) in entries {
            columns.append(c)
            values.append(v)
        }
        rowStart.append(columns.count)
    }

    /// z = X·w + b for every row.
    func logits(_ w: [Double], _ b: Double) -> [Double] {
        var z = [Double](repeating: b, count: rowCount)
        columns.withUnsafeBufferPointer { cols in
            values.withUnsafeBufferPointer { vals in
                w.withUnsafeBufferPointer { wp in
                    for i in 0..<rowCount {
                        var s = b
                        for k in rowStart[i]..<rowStart[i + 1] { s += wp[Int(cols[k])] * vals[k] }
                        z[i] = s
                    }
                }
            }
        }
        return z
    }
}

/// L2-regularised logistic regression fitted with L-BFGS (Liu & Nocedal 1989), deterministic: the same
/// inputs give the same bits (sums in a fixed order, no threads, no randomness).
///
/// Minimises Σᵢ sᵢ·[log(1 + e^{zᵢ}) − tᵢ·zᵢ] + ‖w‖² / (2C) with zᵢ = w·xᵢ + b, tᵢ ∈ {0, 1}, sample
/// weights sᵢ ≥ 0; the intercept b is not penalised (scikit-learn's `LogisticRegression(C=…)` objective
/// with `sample_weight`).
public enum LogisticRegression {
    public struct Fit: Sendable {
        public var weights: [Double]
        public var bias: Double
        public var iterations: Int
        public var converged: Bool
    }

    /// Fits the model. `targets[i]` is true for a positive sample.
    public static func fit(_ x: SparseRows, targets: [Bool], sampleWeights: [Double], c: Double,
                           maxIterations: Int = 500, tolerance: Double = 1e-6) -> Fit {
        precondition(targets.count == x.rowCount && sampleWeights.count == x.rowCount)
        let d = x.columnCount
        let n = x.rowCount
        let invC = c.isInfinite ? 0 : 1 / c
        // parameters: w[0..<d], b at d
        func evaluate(_ p: [Double]) -> (Double, [Double]) {
            let w = Array(p[0..<d])
            let z = x.logits(w, p[d])
            var f = 0.0
            var g = [Double](repeating: 0, count: d + 1)
            var residual = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let zi = z[i]
                let softplus = zi > 0 ? zi + log1p(exp(-zi)) : log1p(exp(zi))
                let t = targets[i] ? 1.0 : 0.0
                f += sampleWeights[i] * (softplus - t * zi)
                let sigma = zi >= 0 ? 1 / (1 + exp(-zi)) : exp(zi) / (1 + exp(zi))
                residual[i] = sampleWeights[i] * (sigma - t)
            }
            x.columns.withUnsafeBufferPointer { cols in
                x.values.withUnsafeBufferPointer { vals in
                    g.withUnsafeMutableBufferPointer { gp in
                        for i in 0..<n {
                            let r = residual[i]
                            if r == 0 { continue }
                            for k in x.rowStart[i]..<x.rowStart[i + 1] { gp[Int(cols[k])] += r * vals[k] }
                            gp[d] += r
                        }
                    }
                }
            }
            var reg = 0.0
            for j in 0..<d {
                reg += p[j] * p[j]
                g[j] += p[j] * invC
            }
            f += 0.5 * invC * reg
            return (f, g)
        }
        var p = [Double](repeating: 0, count: d + 1)
        let (iterations, converged) = LBFGS.minimize(&p, evaluate, maxIterations: maxIterations, tolerance: tolerance)
        return Fit(weights: Array(p[0..<d]), bias: p[d], iterations: iterations, converged: converged)
    }
}

/// Limited-memory BFGS with a backtracking Armijo line search; history of 10 pairs.
enum LBFGS {
    static func minimize(_ x: inout [Double], _ f: ([Double]) -> (Double, [Double]), maxIterations: Int,
                         tolerance: Double, memory: Int = 10) -> (Int, Bool) {
        let n = x.count
        var (fx, g) = f(x)
        var s: [[Double]] = []
        var y: [[Double]] = []
        var rho: [Double] = []
        func dot(_ a: [Double], _ b: [Double]) -> Double {
            var t = 0.0
            for i in 0..<a.count { t += a[i] * b[i] }
            return t
        }
        func infNorm(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
        var iteration = 0
        while iteration < maxIterations {
            if infNorm(g) <= tolerance * max(1, abs(fx)) { return (iteration, true) }
            // two-loop recursion: d = -H·g
            var q = g
            var alpha = [Double](repeating: 0, count: s.count)
            for k in stride(from: s.count - 1, through: 0, by: -1) {
                alpha[k] = rho[k] * dot(s[k], q)
                for i in 0..<n { q[i] -= alpha[k] * y[k][i] }
            }
            if let last = s.indices.last {
                let gamma = dot(s[last], y[last]) / dot(y[last], y[last])
                for i in 0..<n { q[i] *= gamma }
            } else {
                let scale = 1 / max(1, infNorm(g))
                for i in 0..<n { q[i] *= scale }
            }
            for k in 0..<s.count {
                let beta = rho[k] * dot(y[k], q)
                for i in 0..<n { q[i] += s[k][i] * (alpha[k] - beta) }
            }
            var direction = q.map { -$0 }
            var slope = dot(g, direction)
            if slope >= 0 {   // not a descent direction: restart from steepest descent
                s.removeAll(); y.removeAll(); rho.removeAll()
                direction = g.map { -$0 }
                slope = dot(g, direction)
            }
            var step = 1.0
            var accepted = false
            var xNew = x, fNew = fx, gNew = g
            for _ in 0..<40 {
                for i in 0..<n { xNew[i] = x[i] + step * direction[i] }
                (fNew, gNew) = f(xNew)
                if fNew <= fx + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            iteration += 1
            if !accepted { return (iteration, false) }
            var si = [Double](repeating: 0, count: n), yi = [Double](repeating: 0, count: n)
            for i in 0..<n { si[i] = xNew[i] - x[i]; yi[i] = gNew[i] - g[i] }
            let sy = dot(si, yi)
            let previous = fx
            x = xNew; fx = fNew; g = gNew
            if sy > 1e-12 {
                s.append(si); y.append(yi); rho.append(1 / sy)
                if s.count > memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
            }
            if abs(previous - fx) <= 1e-12 * max(1, abs(fx)) { return (iteration, true) }
        }
        return (iteration, false)
    }
}
