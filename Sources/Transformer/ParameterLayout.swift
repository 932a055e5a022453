// Where every GPT-2 parameter lives in the parameter arena. Gradients and AdamW moments use the
// same layout in their own arenas, so the optimizer and the gradient norm are flat loops.
// Shape letters: V vocabulary, T context length (n_positions), L layers, C channels.
// Matrix weights are stored (in, out), the Hugging Face Conv1D layout, so checkpoints map
// without transposes (llm.c stores (out, in); the matmul kernels document the difference).

/// The parameter layout, computed once from the config.
public struct ParameterLayout: Sendable, Equatable {
  /// wte (V, C); also the LM head (tied).
  public let tokenEmbedding: TensorView
  /// wpe (T, C).
  public let positionEmbedding: TensorView
  /// ln_1 weight and bias (L, C).
  public let layerNorm1Weight: TensorView, layerNorm1Bias: TensorView
  /// attn.c_attn weight (L, C, 3C) and bias (L, 3C): q, k, v side by side.
  public let attentionQKVWeight: TensorView, attentionQKVBias: TensorView
  /// attn.c_proj weight (L, C, C) and bias (L, C).
  public let attentionProjectionWeight: TensorView, attentionProjectionBias: TensorView
  /// ln_2 weight and bias (L, C).
  public let layerNorm2Weight: TensorView, layerNorm2Bias: TensorView
  /// mlp.c_fc weight (L, C, 4C) and bias (L, 4C).
  public let mlpUpWeight: TensorView, mlpUpBias: TensorView
  /// mlp.c_proj weight (L, 4C, C) and bias (L, C).
  public let mlpDownWeight: TensorView, mlpDownBias: TensorView
  /// ln_f weight and bias (C).
  public let finalNormWeight: TensorView, finalNormBias: TensorView
  /// score.weight (1, C) when the config has a value head.
  public let valueHeadWeight: TensorView?
  /// Total number of floats.
  public let totalCount: Int

  /// The layout for `config`.
  public init(config: ModelConfig) {
    let (V, T, L, C) = (
      config.vocabularySize, config.contextLength, config.layerCount, config.channelCount
    )
    var a = ArenaAllocator()
    tokenEmbedding = a.take([V, C])
    positionEmbedding = a.take([T, C])
    layerNorm1Weight = a.take([L, C])
    layerNorm1Bias = a.take([L, C])
    attentionQKVWeight = a.take([L, C, 3 * C])
    attentionQKVBias = a.take([L, 3 * C])
    attentionProjectionWeight = a.take([L, C, C])
    attentionProjectionBias = a.take([L, C])
    layerNorm2Weight = a.take([L, C])
    layerNorm2Bias = a.take([L, C])
    mlpUpWeight = a.take([L, C, 4 * C])
    mlpUpBias = a.take([L, 4 * C])
    mlpDownWeight = a.take([L, 4 * C, C])
    mlpDownBias = a.take([L, C])
    finalNormWeight = a.take([C])
    finalNormBias = a.take([C])
    valueHeadWeight = config.hasValueHead ? a.take([1, C]) : nil
    totalCount = a.total
  }

  /// One named parameter tensor: its Hugging Face name, its window, and whether AdamW decays it.
  public struct Entry: Sendable, Equatable {
    /// Hugging Face GPT-2 name, e.g. `transformer.h.0.attn.c_attn.weight`.
    public let name: String
    /// Window in the parameter arena (the HF shape).
    public let view: TensorView
    /// True for matrix weights of the blocks and the value head; false for embeddings,
    /// LayerNorm parameters and biases (documented AdamW grouping).
    public let decays: Bool
  }

  /// Every parameter tensor under its Hugging Face name, per layer, in arena order.
  public var entries: [Entry] {
    var out: [Entry] = [
      Entry(name: "transformer.wte.weight", view: tokenEmbedding, decays: false),
      Entry(name: "transformer.wpe.weight", view: positionEmbedding, decays: false),
    ]
    let layers = layerNorm1Weight.shape[0]
    let perLayer: [(String, TensorView, Bool)] = [
      ("ln_1.weight", layerNorm1Weight, false), ("ln_1.bias", layerNorm1Bias, false),
      ("attn.c_attn.weight", attentionQKVWeight, true),
      ("attn.c_attn.bias", attentionQKVBias, false),
      ("attn.c_proj.weight", attentionProjectionWeight, true),
      ("attn.c_proj.bias", attentionProjectionBias, false),
      ("ln_2.weight", layerNorm2Weight, false), ("ln_2.bias", layerNorm2Bias, false),
      ("mlp.c_fc.weight", mlpUpWeight, true), ("mlp.c_fc.bias", mlpUpBias, false),
      ("mlp.c_proj.weight", mlpDownWeight, true), ("mlp.c_proj.bias", mlpDownBias, false),
    ]
    for l in 0..<layers {
      for (suffix, view, decays) in perLayer {
        out.append(Entry(name: "transformer.h.\(l).\(suffix)", view: view.slice(l), decays: decays))
      }
    }
    out.append(Entry(name: "transformer.ln_f.weight", view: finalNormWeight, decays: false))
    out.append(Entry(name: "transformer.ln_f.bias", view: finalNormBias, decays: false))
    if let valueHeadWeight {
      out.append(Entry(name: "score.weight", view: valueHeadWeight, decays: true))
    }
    return out
  }
}
