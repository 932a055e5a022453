// GPT-2 backward pass: the forward line in reverse, accumulating parameter gradients.
// dResidual carries the gradient of the residual stream down the blocks; per-layer gradient
// buffers are scratch (zeroed before use). Shape letters as in GPTModel+Forward.swift.

extension GPTModel {
  /// Accumulates parameter gradients (+=) for the last forward, given the gradient of the
  /// objective with respect to the logits (B, T, V) and/or the values (B, T). Pass
  /// `logitGradients` (filled by `crossEntropy`) as `dLogits` to train a language-model loss.
  /// After a forward with R `logitPositions`, `dLogits` is (R, V) in the order of those positions.
  /// The forward activations are left intact, so backward may be called more than once.
  public func backward(dLogits: UnsafeBufferPointer<Float>?, dValues: UnsafeBufferPointer<Float>?) {
    guard let a = activations else { fatalError("backward: call forward first") }
    let (B, T) = (a.batchSize, a.sequenceLength)
    let (C, V, L, NH) = (
      config.channelCount, config.vocabularySize, config.layerCount, config.headCount
    )
    let N = B * T
    let p = layout
    if let dLogits {
      let rows = logitPositions?.count ?? N
      guard dLogits.count == rows * V, logitsAreValid else {
        fatalError(
          "backward: dLogits must be (\(rows), V) = \(rows * V) floats after forward with logits")
      }
    }
    if let dValues {
      guard dValues.count == N, p.valueHeadWeight != nil else {
        fatalError("backward: dValues must be (B, T) = \(N) and the model needs a value head")
      }
    }
    let dResidual = a.scratchPointer(a.dResidual)
    let dLn = a.scratchPointer(a.dLn)
    let lnf = a.pointer(a.lnf)

    // 1. Heads → dLn (gradient of the final LayerNorm output).
    zeroFill(dLn, N * C)
    if let dLogits, let logitPositions {
      selectedLogitsBackward(dLogits: dLogits, positions: logitPositions, dLn: dLn)
    } else if let dLogits {
      // dLn += dLogits (N, V) · wte (V, C); dWte += dLogitsᵀ (V, N) · lnf (N, C)
      sgemm(
        m: N, n: C, k: V, alpha: 1, dLogits.baseAddress!, lda: V, param(p.tokenEmbedding), ldb: C,
        beta: 1, dLn, ldc: C)
      sgemm(
        transposeA: true, m: V, n: C, k: N, alpha: 1, dLogits.baseAddress!, lda: V, lnf, ldb: C,
        beta: 1, grad(p.tokenEmbedding), ldc: C)
    }
    if let dValues, let head = p.valueHeadWeight {
      let w = param(head)
      parallelFor(N, grain: 64) { range in
        for n in range {
          let d = dValues[n]
          let row = dLn + n * C
          for i in 0..<C { row[i] += d * w[i] }
        }
      }
      // score.weight gradient: Σ_n dValues[n] · lnf[n] (one row; columns summed in row order).
      columnSumWeightedAccumulate(grad(head), lnf, dValues.baseAddress!, rows: N, columns: C)
    }

    // 2. Final LayerNorm.
    zeroFill(dResidual, N * C)
    layerNormBackward(
      dInp: dResidual, dWeight: grad(p.finalNormWeight), dBias: grad(p.finalNormBias), dOut: dLn,
      inp: a.pointer(a.residual3.slice(L - 1)), weight: param(p.finalNormWeight),
      mean: a.pointer(a.lnfMean), rstd: a.pointer(a.lnfRstd), rows: N, channels: C)

    // 3. Blocks, last to first. dResidual is the gradient of the block's output.
    let dAttY = a.scratchPointer(a.dAttentionOut)
    let dQKV = a.scratchPointer(a.dQKV)
    let dHidden = a.scratchPointer(a.dMlpHidden)
    let dActivated = a.scratchPointer(a.dMlpActivated)
    for l in stride(from: L - 1, through: 0, by: -1) {
      let input = l == 0 ? a.pointer(a.encoded) : a.pointer(a.residual3.slice(l - 1))
      let residual2 = a.pointer(a.residual2.slice(l))

      // 3a. MLP: residual3 = residual2 + c_proj(gelu(c_fc(ln2(residual2)))).
      //     (Scratch gradients that a matmul writes first are overwritten, not zeroed first.)
      matmulBackward(
        dInp: dActivated, dWeight: grad(p.mlpDownWeight.slice(l)),
        dBias: grad(p.mlpDownBias.slice(l)), dOut: dResidual,
        inp: a.pointer(a.mlpActivated.slice(l)), weight: param(p.mlpDownWeight.slice(l)),
        rows: N, inChannels: 4 * C, outChannels: C, overwritingInputGradient: true)
      zeroFill(dHidden, N * 4 * C)
      geluBackward(
        dInp: dHidden, inp: a.pointer(a.mlpHidden.slice(l)), dOut: dActivated, count: N * 4 * C)
      matmulBackward(
        dInp: dLn, dWeight: grad(p.mlpUpWeight.slice(l)), dBias: grad(p.mlpUpBias.slice(l)),
        dOut: dHidden, inp: a.pointer(a.ln2.slice(l)), weight: param(p.mlpUpWeight.slice(l)),
        rows: N, inChannels: C, outChannels: 4 * C, overwritingInputGradient: true)
      layerNormBackward(
        dInp: dResidual, dWeight: grad(p.layerNorm2Weight.slice(l)),
        dBias: grad(p.layerNorm2Bias.slice(l)), dOut: dLn, inp: residual2,
        weight: param(p.layerNorm2Weight.slice(l)), mean: a.pointer(a.ln2Mean.slice(l)),
        rstd: a.pointer(a.ln2Rstd.slice(l)), rows: N, channels: C)

      // 3b. Attention: residual2 = input + c_proj(attn(c_attn(ln1(input)))).
      matmulBackward(
        dInp: dAttY, dWeight: grad(p.attentionProjectionWeight.slice(l)),
        dBias: grad(p.attentionProjectionBias.slice(l)), dOut: dResidual,
        inp: a.pointer(a.attentionOut.slice(l)),
        weight: param(p.attentionProjectionWeight.slice(l)),
        rows: N, inChannels: C, outChannels: C, overwritingInputGradient: true)
      zeroFill(dQKV, N * 3 * C)
      attentionBackward(
        dQKV: dQKV, scratch: a.scratchPointer(a.dAttention), dOut: dAttY,
        qkv: a.pointer(a.qkv.slice(l)), att: a.pointer(a.attention.slice(l)), batch: B, time: T,
        channels: C, heads: NH)
      matmulBackward(
        dInp: dLn, dWeight: grad(p.attentionQKVWeight.slice(l)),
        dBias: grad(p.attentionQKVBias.slice(l)), dOut: dQKV, inp: a.pointer(a.ln1.slice(l)),
        weight: param(p.attentionQKVWeight.slice(l)), rows: N, inChannels: C, outChannels: 3 * C,
        overwritingInputGradient: true)
      layerNormBackward(
        dInp: dResidual, dWeight: grad(p.layerNorm1Weight.slice(l)),
        dBias: grad(p.layerNorm1Bias.slice(l)), dOut: dLn, inp: input,
        weight: param(p.layerNorm1Weight.slice(l)), mean: a.pointer(a.ln1Mean.slice(l)),
        rstd: a.pointer(a.ln1Rstd.slice(l)), rows: N, channels: C)
    }

    // 4. Embeddings.
    lastTokens.withUnsafeBufferPointer { tokens in
      encoderBackward(
        dWte: grad(p.tokenEmbedding), dWpe: grad(p.positionEmbedding), dOut: dResidual,
        tokens: tokens.baseAddress!, batch: B, time: T, channels: C)
    }
  }
}

/// dst[j] += Σ_n scale[n] · src[n, j], rows in order for each column (deterministic): blocks of
/// 32 columns split across the threads, each block adding the rows in order.
func columnSumWeightedAccumulate(
  _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ scale: UnsafePointer<Float>,
  rows N: Int, columns C: Int
) {
  parallelFor((C + 31) / 32) { range in
    let columns = (range.lowerBound * 32)..<min(C, range.upperBound * 32)
    for n in 0..<N {
      let s = scale[n]
      if s == 0 { continue }
      let row = src + n * C
      for j in columns { dst[j] += s * row[j] }
    }
  }
}

/// The serial loop `columnSumWeightedAccumulate` splits, the test oracle.
func columnSumWeightedAccumulateReference(
  _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ scale: UnsafePointer<Float>,
  rows N: Int, columns C: Int
) {
  for n in 0..<N {
    let s = scale[n]
    if s == 0 { continue }
    let row = src + n * C
    for j in 0..<C { dst[j] += s * row[j] }
  }
}
