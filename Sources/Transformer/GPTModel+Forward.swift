// GPT-2 forward pass over a (B, T) batch, llm.c style: one straight line of kernel calls.
// x = wte[tokens] + wpe[0..<T]; per block: x += attn(ln1(x)); x += mlp(ln2(x));
// h = ln_f(x); logits = h · wteᵀ (tied head); values = h · score.weight (value head).
// Shape letters: B batch, T time, C channels, V vocabulary, L layers, NH heads.

extension GPTModel {
  /// Runs the model on `tokens` (B, T), row-major, ids in 0..<V. The activation arena is laid
  /// out for (B, T) here when the shape changes (reusing its memory when it fits). Results
  /// (`logits`, `values`) stay valid until the next call. `computeLogits: false` skips the LM head (the largest
  /// matmul) when only values are needed; `logitPositions` (flat b·T + t indices) computes it on
  /// those positions only, and `logits` is then (R, V) in their order (GPTModel+LogitRows.swift).
  public func forward(
    tokens: UnsafeBufferPointer<Int32>, batchSize: Int, sequenceLength: Int,
    computeLogits: Bool = true, logitPositions: [Int]? = nil
  ) {
    let (B, T) = (batchSize, sequenceLength)
    let (C, V, L, NH) = (
      config.channelCount, config.vocabularySize, config.layerCount, config.headCount
    )
    guard B > 0, T > 0, T <= config.contextLength else {
      fatalError(
        "forward: sequenceLength \(T) must be in 1...\(config.contextLength), batch \(B) > 0")
    }
    guard tokens.count == B * T else {
      fatalError("forward: \(tokens.count) tokens given, expected B·T = \(B * T)")
    }
    for token in tokens where token < 0 || Int(token) >= V {
      fatalError("forward: token id \(token) outside the vocabulary 0..<\(V)")
    }
    if activations?.batchSize != B || activations?.sequenceLength != T {
      activations = Activations(
        config: config, batchSize: B, sequenceLength: T, reusing: activations)
    }
    let a = activations!
    let p = layout
    let N = B * T
    lastTokens = Array(tokens)
    let eps = config.layerNormEpsilon

    // 1. Embeddings.
    encoderForward(
      a.pointer(a.encoded), tokens: tokens.baseAddress!, wte: param(p.tokenEmbedding),
      wpe: param(p.positionEmbedding), batch: B, time: T, channels: C)

    // 2. Transformer blocks.
    for l in 0..<L {
      let input = l == 0 ? a.pointer(a.encoded) : a.pointer(a.residual3.slice(l - 1))
      let ln1 = a.pointer(a.ln1.slice(l))
      let qkv = a.pointer(a.qkv.slice(l))
      let attY = a.pointer(a.attentionOut.slice(l))
      let attProj = a.pointer(a.attentionProjection.slice(l))
      let residual2 = a.pointer(a.residual2.slice(l))
      let ln2 = a.pointer(a.ln2.slice(l))
      let hidden = a.pointer(a.mlpHidden.slice(l))
      let activated = a.pointer(a.mlpActivated.slice(l))
      let mlpOut = a.pointer(a.mlpOut.slice(l))
      let residual3 = a.pointer(a.residual3.slice(l))

      layerNormForward(
        ln1, mean: a.pointer(a.ln1Mean.slice(l)), rstd: a.pointer(a.ln1Rstd.slice(l)), input,
        weight: param(p.layerNorm1Weight.slice(l)), bias: param(p.layerNorm1Bias.slice(l)),
        rows: N, channels: C, epsilon: eps)
      matmulForward(
        qkv, ln1, param(p.attentionQKVWeight.slice(l)), param(p.attentionQKVBias.slice(l)),
        rows: N, inChannels: C, outChannels: 3 * C)
      attentionForward(
        attY, att: a.pointer(a.attention.slice(l)), qkv: qkv, batch: B, time: T, channels: C,
        heads: NH)
      matmulForward(
        attProj, attY, param(p.attentionProjectionWeight.slice(l)),
        param(p.attentionProjectionBias.slice(l)), rows: N, inChannels: C, outChannels: C)
      residualForward(residual2, input, attProj, count: N * C)
      layerNormForward(
        ln2, mean: a.pointer(a.ln2Mean.slice(l)), rstd: a.pointer(a.ln2Rstd.slice(l)), residual2,
        weight: param(p.layerNorm2Weight.slice(l)), bias: param(p.layerNorm2Bias.slice(l)),
        rows: N, channels: C, epsilon: eps)
      matmulForward(
        hidden, ln2, param(p.mlpUpWeight.slice(l)), param(p.mlpUpBias.slice(l)),
        rows: N, inChannels: C, outChannels: 4 * C)
      geluForward(activated, hidden, count: N * 4 * C)
      matmulForward(
        mlpOut, activated, param(p.mlpDownWeight.slice(l)), param(p.mlpDownBias.slice(l)),
        rows: N, inChannels: 4 * C, outChannels: C)
      residualForward(residual3, residual2, mlpOut, count: N * C)
    }

    // 3. Final LayerNorm and heads.
    let lnf = a.pointer(a.lnf)
    layerNormForward(
      lnf, mean: a.pointer(a.lnfMean), rstd: a.pointer(a.lnfRstd),
      a.pointer(a.residual3.slice(L - 1)), weight: param(p.finalNormWeight),
      bias: param(p.finalNormBias), rows: N, channels: C, epsilon: eps)
    self.logitPositions = computeLogits ? logitPositions : nil
    if computeLogits, let logitPositions {
      selectedLogitsForward(positions: logitPositions, rowCount: N)
    } else if computeLogits {
      // logits (N, V) = lnf (N, C) · wteᵀ (C, V)
      sgemm(
        transposeB: true, m: N, n: V, k: C, alpha: 1, lnf, lda: C, param(p.tokenEmbedding), ldb: C,
        beta: 0, a.pointer(a.logits), ldc: V)
    }
    logitsAreValid = computeLogits
    if let head = p.valueHeadWeight {
      let w = param(head)
      let values = a.pointer(a.values)
      parallelFor(N, grain: 64) { range in
        for n in range { values[n] = dot8(lnf + n * C, w, C) }
      }
    }
  }

  /// Logits (B, T, V) of the last forward (position t predicts token t + 1); (R, V) when the
  /// forward was given R `logitPositions`.
  public var logits: UnsafeBufferPointer<Float> {
    guard let a = activations, logitsAreValid else {
      fatalError("logits: call forward(…, computeLogits: true) first")
    }
    let all = UnsafeBufferPointer(a.arena[a.logits])
    guard let logitPositions else { return all }
    return UnsafeBufferPointer(rebasing: all[0..<(logitPositions.count * config.vocabularySize)])
  }

  /// Values (B, T) of the last forward; requires a value head.
  public var values: UnsafeBufferPointer<Float> {
    guard let a = activations, config.hasValueHead else {
      fatalError("values: the model has no value head or forward was not called")
    }
    return UnsafeBufferPointer(a.arena[a.values])
  }

  /// Final LayerNorm output (B, T, C) of the last forward (features for custom heads).
  public var finalHiddenStates: UnsafeBufferPointer<Float> {
    guard let a = activations else { fatalError("finalHiddenStates: call forward first") }
    return UnsafeBufferPointer(a.arena[a.lnf])
  }
}
