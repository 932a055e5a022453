// Incremental GPT-2 forward with a key/value cache, for generation.
// A step processes R rows, each (sequence s, position t, token): rows of one sequence must be
// at consecutive new positions in order (a prompt prefill) or a single row (one decode step).
// Keys and values of every row are written to the cache before attention, so a row attends to
// its sequence's positions 0...t. Shapes: cache (L, S, maxT, C) for keys and for values;
// row activations (R, C), (R, 3C), (R, 4C); attention scores (R, NH, maxT).

/// Key/value cache for `sequenceCount` sequences of at most the model's context length.
public final class KVCache {
  let model: GPTModel
  let sequenceCount: Int
  let capacity: Int
  let keys: FloatArena
  let values: FloatArena
  /// Number of cached positions per sequence.
  public private(set) var lengths: [Int]

  /// An empty cache for `sequenceCount` sequences of `model`.
  public init(model: GPTModel, sequenceCount: Int) {
    self.model = model
    self.sequenceCount = sequenceCount
    capacity = model.config.contextLength
    let size = model.config.layerCount * sequenceCount * capacity * model.config.channelCount
    keys = FloatArena(count: size)
    values = FloatArena(count: size)
    lengths = [Int](repeating: 0, count: sequenceCount)
  }

  /// Appends `tokens[i]` to sequence `sequences[i]` (at that sequence's next position, in
  /// order) and returns the logits (V) of the rows listed in `logitRows`, row-major (|logitRows|, V).
  /// Each sequence must stay within the context length.
  public func append(sequences: [Int], tokens: [Int32], logitRows: [Int]) -> [Float] {
    let config = model.config
    let (C, V, L, NH) = (
      config.channelCount, config.vocabularySize, config.layerCount, config.headCount
    )
    let R = tokens.count
    guard sequences.count == R, R > 0 else {
      fatalError("KVCache.append: one sequence index per token")
    }
    var positions = [Int](repeating: 0, count: R)
    for i in 0..<R {
      let s = sequences[i]
      guard s >= 0, s < sequenceCount else {
        fatalError("KVCache.append: sequence \(s) out of range")
      }
      guard lengths[s] < capacity else {
        fatalError("KVCache.append: sequence \(s) is full (\(capacity))")
      }
      guard tokens[i] >= 0, Int(tokens[i]) < V else {
        fatalError("KVCache.append: token \(tokens[i]) ∉ 0..<\(V)")
      }
      positions[i] = lengths[s]
      lengths[s] += 1
    }
    var a = ArenaAllocator()
    let x = a.take([R, C]), ln = a.take([R, C]), qkv = a.take([R, 3 * C]), y = a.take([R, C])
    let proj = a.take([R, C]), hidden = a.take([R, 4 * C]), activated = a.take([R, 4 * C])
    let scores = a.take([R, NH, capacity]), stats = a.take([2, R])
    let arena = FloatArena(count: a.total)
    func ptr(_ v: TensorView) -> UnsafeMutablePointer<Float> {
      arena.storage.baseAddress! + v.offset
    }
    let p = model.layout
    let eps = config.layerNormEpsilon
    let mean = ptr(stats), rstd = ptr(stats) + R

    // 1. Embeddings at each row's own position.
    let wte = model.param(p.tokenEmbedding), wpe = model.param(p.positionEmbedding)
    for i in 0..<R {
      let row = ptr(x) + i * C
      for c in 0..<C { row[c] = wte[Int(tokens[i]) * C + c] + wpe[positions[i] * C + c] }
    }
    // 2. Blocks.
    for l in 0..<L {
      layerNormForward(
        ptr(ln), mean: mean, rstd: rstd, ptr(x), weight: model.param(p.layerNorm1Weight.slice(l)),
        bias: model.param(p.layerNorm1Bias.slice(l)), rows: R, channels: C, epsilon: eps)
      matmulForward(
        ptr(qkv), ptr(ln), model.param(p.attentionQKVWeight.slice(l)),
        model.param(p.attentionQKVBias.slice(l)), rows: R, inChannels: C, outChannels: 3 * C)
      let layerKeys = keys.storage.baseAddress! + l * sequenceCount * capacity * C
      let layerValues = values.storage.baseAddress! + l * sequenceCount * capacity * C
      for i in 0..<R {
        let slot = (sequences[i] * capacity + positions[i]) * C
        (layerKeys + slot).update(from: ptr(qkv) + i * 3 * C + C, count: C)
        (layerValues + slot).update(from: ptr(qkv) + i * 3 * C + 2 * C, count: C)
      }
      cachedAttention(
        out: ptr(y), scores: ptr(scores), qkv: ptr(qkv), keys: layerKeys, values: layerValues,
        sequences: sequences, positions: positions, capacity: capacity, channels: C, heads: NH)
      matmulForward(
        ptr(proj), ptr(y), model.param(p.attentionProjectionWeight.slice(l)),
        model.param(p.attentionProjectionBias.slice(l)), rows: R, inChannels: C, outChannels: C)
      residualForward(ptr(x), ptr(x), ptr(proj), count: R * C)
      layerNormForward(
        ptr(ln), mean: mean, rstd: rstd, ptr(x), weight: model.param(p.layerNorm2Weight.slice(l)),
        bias: model.param(p.layerNorm2Bias.slice(l)), rows: R, channels: C, epsilon: eps)
      matmulForward(
        ptr(hidden), ptr(ln), model.param(p.mlpUpWeight.slice(l)),
        model.param(p.mlpUpBias.slice(l)),
        rows: R, inChannels: C, outChannels: 4 * C)
      geluForward(ptr(activated), ptr(hidden), count: R * 4 * C)
      matmulForward(
        ptr(proj), ptr(activated), model.param(p.mlpDownWeight.slice(l)),
        model.param(p.mlpDownBias.slice(l)), rows: R, inChannels: 4 * C, outChannels: C)
      residualForward(ptr(x), ptr(x), ptr(proj), count: R * C)
    }
    // 3. Final LayerNorm and logits for the requested rows only.
    let S = logitRows.count
    if S == 0 { return [] }
    for (j, row) in logitRows.enumerated() {
      (ptr(y) + j * C).update(from: ptr(x) + row * C, count: C)
    }
    layerNormForward(
      ptr(ln), mean: mean, rstd: rstd, ptr(y), weight: model.param(p.finalNormWeight),
      bias: model.param(p.finalNormBias), rows: S, channels: C, epsilon: eps)
    var logits = [Float](repeating: 0, count: S * V)
    logits.withUnsafeMutableBufferPointer { out in
      sgemm(
        transposeB: true, m: S, n: V, k: C, alpha: 1, ptr(ln), lda: C, wte, ldb: C, beta: 0,
        out.baseAddress!, ldc: V)
    }
    return logits
  }
}

/// Attention of R query rows over the cache: row i (sequence s, position t) attends to
/// cached positions 0...t of s. qkv (R, 3C) holds the rows' queries; keys, values
/// (S, capacity, C) for one layer; scores (R, NH, capacity) scratch; out (R, C).
func cachedAttention(
  out: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>,
  keys: UnsafePointer<Float>, values: UnsafePointer<Float>, sequences: [Int], positions: [Int],
  capacity: Int, channels C: Int, heads NH: Int
) {
  let R = positions.count
  let hs = C / NH
  let scale = 1 / Float(hs).squareRoot()
  parallelFor(R * NH) { range in
    for rh in range {
      let (i, h) = (rh / NH, rh % NH)
      let t = positions[i]
      let q = qkv + i * 3 * C + h * hs
      let k = keys + sequences[i] * capacity * C + h * hs
      let v = values + sequences[i] * capacity * C + h * hs
      let p = scores + rh * capacity
      for t2 in 0...t { p[t2] = dot8(q, k + t2 * C, hs) * scale }
      causalSoftmaxRow(p, valid: t + 1, width: t + 1)
      let y = out + i * C + h * hs
      for c in 0..<hs { y[c] = 0 }
      for t2 in 0...t {
        let w = p[t2]
        let row = v + t2 * C
        for c in 0..<hs { y[c] += w * row[c] }
      }
    }
  }
}
