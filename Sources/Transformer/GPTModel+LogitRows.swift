// The LM head on selected positions only. PPO scores a few positions per row (the response
// tokens); the rest of a (B, T) batch is prompt whose next-token logits nobody reads. With
// `logitPositions`, forward gathers those rows of the final LayerNorm output into a compact
// (R, C) block and computes logits (R, V) = block · wteᵀ; backward takes dLogits (R, V) and
// scatters dLn[position] += dLogits · wte, dWte += dLogitsᵀ · block. For the engine's benchmark
// shape (C 256, V 8192) the head is about 40% of a forward's FLOPs, so skipping the prompt rows
// saves most of that. The full head (GPTModel+Forward.swift) is the reference these are tested
// against (GPTModelLogitRowsTests).

extension GPTModel {
  /// Checks `positions` (flat b·T + t indices, each in 0..<count) and gathers those rows of the
  /// final LayerNorm output, then computes their logits into the front of the logits buffer.
  func selectedLogitsForward(positions: [Int], rowCount N: Int) {
    guard let a = activations else { fatalError("selectedLogitsForward: no activations") }
    let (C, V) = (config.channelCount, config.vocabularySize)
    for position in positions where position < 0 || position >= N {
      fatalError("forward: logit position \(position) outside the batch's 0..<\(N) positions")
    }
    let R = positions.count
    if selectedHidden.count < R * C { selectedHidden = [Float](repeating: 0, count: R * C) }
    let lnf = a.pointer(a.lnf)
    selectedHidden.withUnsafeMutableBufferPointer { block in
      for (r, position) in positions.enumerated() {
        (block.baseAddress! + r * C).update(from: lnf + position * C, count: C)
      }
      if R > 0 {
        // logits (R, V) = block (R, C) · wteᵀ (C, V)
        sgemm(
          transposeB: true, m: R, n: V, k: C, alpha: 1, block.baseAddress!, lda: C,
          param(layout.tokenEmbedding), ldb: C, beta: 0, a.pointer(a.logits), ldc: V)
      }
    }
  }

  /// Backward of `selectedLogitsForward`: dLn[positions[r]] += dLogits[r] · wte and
  /// dWte += dLogitsᵀ · block, for dLogits (R, V) in the order of the forward's positions.
  func selectedLogitsBackward(
    dLogits: UnsafeBufferPointer<Float>, positions: [Int], dLn: UnsafeMutablePointer<Float>
  ) {
    let (C, V) = (config.channelCount, config.vocabularySize)
    let R = positions.count
    guard R > 0 else { return }
    var dBlock = [Float](repeating: 0, count: R * C)
    selectedHidden.withUnsafeBufferPointer { block in
      dBlock.withUnsafeMutableBufferPointer { d in
        // dBlock (R, C) = dLogits (R, V) · wte (V, C); dWte += dLogitsᵀ (V, R) · block (R, C)
        sgemm(
          m: R, n: C, k: V, alpha: 1, dLogits.baseAddress!, lda: V, param(layout.tokenEmbedding),
          ldb: C, beta: 0, d.baseAddress!, ldc: C)
        sgemm(
          transposeA: true, m: V, n: C, k: R, alpha: 1, dLogits.baseAddress!, lda: V,
          block.baseAddress!, ldb: C, beta: 1, grad(layout.tokenEmbedding), ldc: C)
        for (r, position) in positions.enumerated() {
          let row = dLn + position * C
          for i in 0..<C { row[i] += d[r * C + i] }
        }
      }
    }
  }
}
