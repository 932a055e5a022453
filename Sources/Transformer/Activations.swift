// The activation arena for one (B, T) batch shape, sized explicitly (STYLE D7), plus the
// backward scratch. Forward keeps every per-layer activation backward needs; backward reuses
// one set of per-layer gradient buffers (they are consumed before the next layer down).
// Performance notes: batches are padded to their own longest sequence, so (B, T) changes from step
// to step. A new shape reuses the previous arenas when they are large enough (no allocation, no
// page faults, no zero fill: every forward buffer is written before it is read, and backward
// zeroes its scratch before use), so memory stays at the largest shape seen. Allocating afresh
// per shape cost about 5% of a demo-size training step (measured with perf: memset and page faults).
// A new arena grows by at least 1.5× (see `arena(count:previous:)`).
// Shape letters: B batch, T time, C channels, V vocabulary, L layers, NH heads.

/// Forward activations and backward scratch for a batch of `batchSize` × `sequenceLength`.
final class Activations {
  let batchSize: Int
  let sequenceLength: Int
  let arena: FloatArena
  let scratch: FloatArena
  // Forward (saved for backward).
  let encoded: TensorView  // (B, T, C)
  let ln1, ln1Mean, ln1Rstd: TensorView  // (L, B, T, C), (L, B, T), (L, B, T)
  let qkv: TensorView  // (L, B, T, 3C)
  let attentionOut: TensorView  // (L, B, T, C)
  let attention: TensorView  // (L, B, NH, T, T)
  let attentionProjection: TensorView  // (L, B, T, C)
  let residual2: TensorView  // (L, B, T, C)
  let ln2, ln2Mean, ln2Rstd: TensorView  // (L, B, T, C), (L, B, T), (L, B, T)
  let mlpHidden: TensorView  // (L, B, T, 4C) before GELU
  let mlpActivated: TensorView  // (L, B, T, 4C) after GELU
  let mlpOut: TensorView  // (L, B, T, C)
  let residual3: TensorView  // (L, B, T, C)
  let lnf, lnfMean, lnfRstd: TensorView  // (B, T, C), (B, T), (B, T)
  let logits: TensorView  // (B, T, V)
  let values: TensorView  // (B, T)
  let rowLoss: TensorView  // (B, T)
  // Backward scratch (one layer at a time).
  let dResidual: TensorView  // (B, T, C) running gradient of the residual stream
  let dLn: TensorView  // (B, T, C)
  let dAttentionOut: TensorView  // (B, T, C)
  let dQKV: TensorView  // (B, T, 3C)
  let dAttention: TensorView  // (B, NH, T, T)
  let dMlpHidden: TensorView  // (B, T, 4C)
  let dMlpActivated: TensorView  // (B, T, 4C)
  let dLogits: TensorView  // (B, T, V) filled by crossEntropy

  /// Lays out the buffers for (B, T); `previous` lends its arenas when they are large enough.
  init(
    config: ModelConfig, batchSize B: Int, sequenceLength T: Int,
    reusing previous: Activations? = nil
  ) {
    let (C, V, L, NH) = (
      config.channelCount, config.vocabularySize, config.layerCount, config.headCount
    )
    batchSize = B
    sequenceLength = T
    var a = ArenaAllocator()
    encoded = a.take([B, T, C])
    ln1 = a.take([L, B, T, C])
    ln1Mean = a.take([L, B, T])
    ln1Rstd = a.take([L, B, T])
    qkv = a.take([L, B, T, 3 * C])
    attentionOut = a.take([L, B, T, C])
    attention = a.take([L, B, NH, T, T])
    attentionProjection = a.take([L, B, T, C])
    residual2 = a.take([L, B, T, C])
    ln2 = a.take([L, B, T, C])
    ln2Mean = a.take([L, B, T])
    ln2Rstd = a.take([L, B, T])
    mlpHidden = a.take([L, B, T, 4 * C])
    mlpActivated = a.take([L, B, T, 4 * C])
    mlpOut = a.take([L, B, T, C])
    residual3 = a.take([L, B, T, C])
    lnf = a.take([B, T, C])
    lnfMean = a.take([B, T])
    lnfRstd = a.take([B, T])
    logits = a.take([B, T, V])
    values = a.take([B, T])
    rowLoss = a.take([B, T])
    arena = Activations.arena(count: a.total, previous: previous?.arena)
    var s = ArenaAllocator()
    dResidual = s.take([B, T, C])
    dLn = s.take([B, T, C])
    dAttentionOut = s.take([B, T, C])
    dQKV = s.take([B, T, 3 * C])
    dAttention = s.take([B, NH, T, T])
    dMlpHidden = s.take([B, T, 4 * C])
    dMlpActivated = s.take([B, T, 4 * C])
    dLogits = s.take([B, T, V])
    scratch = Activations.arena(count: s.total, previous: previous?.scratch)
  }

  /// `previous` when it holds `count` floats; else a new arena with headroom: 1.5× `count` for
  /// the first, at least 1.5× the previous size after, so a run whose shapes creep up (ragged
  /// PPO batches) grows a few times, not at nearly every step. The headroom is address space
  /// only until touched (FloatArena).
  static func arena(count: Int, previous: FloatArena?) -> FloatArena {
    guard let previous else { return FloatArena(count: count + count / 2) }
    if previous.count >= count { return previous }
    return FloatArena(count: max(count, previous.count + previous.count / 2))
  }

  /// Base pointer of `view` in the forward arena.
  @inline(__always) func pointer(_ view: TensorView) -> UnsafeMutablePointer<Float> {
    arena.storage.baseAddress! + view.offset
  }

  /// Base pointer of `view` in the backward scratch.
  @inline(__always) func scratchPointer(_ view: TensorView) -> UnsafeMutablePointer<Float> {
    scratch.storage.baseAddress! + view.offset
  }
}
