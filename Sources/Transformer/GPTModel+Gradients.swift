// Gradient bookkeeping: zeroing, the global L2 norm and clipping.
// The norm is summed in fixed chunks of 65,536 values (Double partial sums, combined in chunk
// order), so it is identical at every thread count.

extension GPTModel {
  /// Sets every parameter gradient to zero (call before accumulating a new batch).
  public func zeroGradients() { gradients.zero() }

  /// The global L2 norm of all parameter gradients.
  public func gradientNorm() -> Float {
    Float(globalNorm(UnsafeBufferPointer(rebasing: gradients.storage[0..<layout.totalCount])))
  }

  /// Scales all gradients so their global norm is at most `maxNorm` (as
  /// torch.nn.utils.clip_grad_norm_: factor = maxNorm / (norm + 1e-6), applied only when < 1).
  /// - Returns: the norm before clipping.
  @discardableResult
  public func clipGradients(maxNorm: Float) -> Float {
    let norm = gradientNorm()
    let factor = maxNorm / (norm + 1e-6)
    if factor < 1 {
      let g = gradients.storage
      let count = layout.totalCount
      parallelFor((count + 65535) / 65536) { range in
        for i in (range.lowerBound * 65536)..<min(count, range.upperBound * 65536) {
          g[i] *= factor
        }
      }
    }
    return norm
  }

  /// Multiplies all gradients by `factor` (gradient accumulation over micro-batches).
  public func scaleGradients(by factor: Float) {
    let g = gradients.storage
    for i in 0..<layout.totalCount { g[i] *= factor }
  }
}

/// √(Σ x²) in Double over fixed 65,536-value chunks, combined in order.
func globalNorm(_ x: UnsafeBufferPointer<Float>) -> Double {
  let chunk = 65536
  let chunks = (x.count + chunk - 1) / chunk
  let partial = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(chunks, 1))
  defer { partial.deallocate() }
  parallelFor(chunks) { range in
    for c in range {
      let start = c * chunk
      let end = min(x.count, start + chunk)
      let s = dot8(x.baseAddress! + start, x.baseAddress! + start, end - start)
      partial[c] = Double(s)
    }
  }
  var total = 0.0
  for c in 0..<chunks { total += partial[c] }
  return total.squareRoot()
}
