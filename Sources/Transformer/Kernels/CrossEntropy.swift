// Fused softmax + weighted cross-entropy over logits rows, and per-token log-probabilities.
// Shapes: logits, dLogits (N, V) with N = B·T rows; targets, weights, logProbabilities (N).
// loss = Σ_n w_n · (logZ_n − logit[n, target_n]) / normalizer; dLogits = w_n/normalizer · (p_n − onehot).
// Rows with weight 0 get zero gradient and skip the exp pass. Weights may be negative (PPO).
// Performance notes: one pass for the max, one for exp-and-sum (SIMD8 exp), one to write p;
// row losses are stored and summed in row order in Double, so the loss is deterministic.

#if canImport(Glibc)
import Glibc
#endif

/// Weighted mean cross-entropy and its gradient. Returns the loss.
/// Reference: torch.nn.functional.cross_entropy(reduction="none") · w, summed, / normalizer.
func crossEntropyForwardBackward(
  dLogits: UnsafeMutablePointer<Float>, rowLoss: UnsafeMutablePointer<Float>,
  logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, weights: UnsafePointer<Float>,
  normalizer: Float, rows N: Int, vocabulary V: Int
) -> Float {
  let inverse = normalizer == 0 ? 0 : 1 / normalizer
  parallelFor(N, grain: 4) { range in
    for n in range {
      let w = weights[n]
      let row = logits + n * V
      let d = dLogits + n * V
      if w == 0 {
        d.update(repeating: 0, count: V)
        rowLoss[n] = 0
        continue
      }
      let m = max8(row, V)
      let total = expShiftedSum(row, d, V, shift: m)
      let target = Int(targets[n])
      let logZ = m + log(total)
      rowLoss[n] = w * (logZ - row[target])
      let factor = w * inverse / total
      for i in 0..<V { d[i] *= factor }
      d[target] -= w * inverse
    }
  }
  var sum = 0.0
  for n in 0..<N { sum += Double(rowLoss[n]) }
  return Float(sum * Double(inverse))
}

/// logProbabilities[n] = log softmax(logits[n])[targets[n]]; entropy[n] (optional) = H(p_n).
/// Reference: torch.log_softmax(logits, -1).gather(-1, targets).
func tokenLogProbabilitiesForward(
  _ logProbabilities: UnsafeMutablePointer<Float>, entropy: UnsafeMutablePointer<Float>?,
  logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows N: Int, vocabulary V: Int
) {
  parallelFor(N, grain: 4) { range in
    for n in range {
      let row = logits + n * V
      let m = max8(row, V)
      var acc = SIMD8<Float>(repeating: 0)
      var accX = SIMD8<Float>(repeating: 0)
      var i = 0
      let raw = UnsafeRawPointer(row)
      let s = SIMD8<Float>(repeating: m)
      while i + 8 <= V {
        let x = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - s
        let e = exp8(x)
        acc += e
        accX += e * x
        i += 8
      }
      var total = acc.sum()
      var weighted = accX.sum()
      while i < V {
        let x = row[i] - m
        let e = expApprox(x)
        total += e
        weighted += e * x
        i += 1
      }
      let logTotal = log(total)
      logProbabilities[n] = row[Int(targets[n])] - m - logTotal
      // H = −Σ p (x − log Σ) = log Σ − Σ e·x / Σ, with x = logit − max.
      entropy?[n] = logTotal - weighted / total
    }
  }
}

// MARK: - Reference

/// Double-precision softmax cross-entropy, the test oracle (same conventions).
func crossEntropyReference(
  dLogits: UnsafeMutablePointer<Float>, logits: UnsafePointer<Float>,
  targets: UnsafePointer<Int32>, weights: UnsafePointer<Float>, normalizer: Float, rows N: Int,
  vocabulary V: Int
) -> Float {
  var loss = 0.0
  let inverse = normalizer == 0 ? 0 : 1 / Double(normalizer)
  for n in 0..<N {
    var m = -Double.infinity
    for i in 0..<V { m = max(m, Double(logits[n * V + i])) }
    var total = 0.0
    for i in 0..<V { total += exp(Double(logits[n * V + i]) - m) }
    let target = Int(targets[n])
    let w = Double(weights[n])
    loss += w * (m + log(total) - Double(logits[n * V + target]))
    for i in 0..<V {
      let p = exp(Double(logits[n * V + i]) - m) / total
      dLogits[n * V + i] = Float(w * inverse * (p - (i == target ? 1 : 0)))
    }
  }
  return Float(loss * inverse)
}
