// The GPT-2 model: config, parameter and gradient arenas, initialization, copies, and the
// structural edits PPO and reward modelling need (value head, vocabulary resize).
// The forward and backward wiring live in GPTModel+Forward.swift and GPTModel+Backward.swift.
// A GPTModel is not thread-safe: one model is used by one thread at a time (its kernels use
// the engine's thread pool internally).

/// GPT-2 with a tied LM head and an optional value head (one scalar per position).
public final class GPTModel: @unchecked Sendable {
  /// The model's shape.
  public private(set) var config: ModelConfig
  /// Where each parameter lives in `parameters` (and `gradients`).
  public private(set) var layout: ParameterLayout
  /// All parameters, in `layout` order.
  public private(set) var parameters: FloatArena
  /// Gradients, same layout as `parameters`; `backward` accumulates into them.
  public private(set) var gradients: FloatArena
  /// Activations for the last forward shape (nil before the first forward).
  var activations: Activations?
  /// Tokens (B, T) of the last forward, kept for the embedding backward.
  var lastTokens: [Int32] = []
  /// Whether the last forward computed logits.
  var logitsAreValid = false

  /// A freshly initialized model, GPT-2 style: weights N(0, 0.02²), the residual projections
  /// (attn.c_proj, mlp.c_proj) N(0, (0.02/√(2L))²), biases 0, LayerNorm weights 1; the value
  /// head, if any, N(0, 0.02²). Deterministic for a given seed.
  public init(config: ModelConfig, seed: UInt64) {
    if let problem = config.problem { fatalError("GPTModel: invalid config: \(problem)") }
    self.config = config
    layout = ParameterLayout(config: config)
    parameters = FloatArena(count: layout.totalCount)
    gradients = FloatArena(count: layout.totalCount)
    var rng = SeededGenerator(seed: seed)
    let residualStd = 0.02 / Float(2 * config.layerCount).squareRoot()
    for entry in layout.entries {
      let buffer = parameters[entry.view]
      if entry.name.hasSuffix("ln_1.weight") || entry.name.hasSuffix("ln_2.weight")
        || entry.name.hasSuffix("ln_f.weight")
      {
        buffer.update(repeating: 1)
      } else if entry.name.hasSuffix(".bias") {
        buffer.update(repeating: 0)
      } else if entry.name.hasSuffix("c_proj.weight") {
        rng.fillNormal(buffer, std: residualStd)
      } else {
        rng.fillNormal(buffer, std: 0.02)
      }
    }
  }

  /// A model with the given config and parameter values (used by checkpoint loading).
  init(config: ModelConfig, parameters: FloatArena) {
    self.config = config
    layout = ParameterLayout(config: config)
    precondition(parameters.count >= layout.totalCount)
    self.parameters = parameters
    gradients = FloatArena(count: layout.totalCount)
  }

  /// A deep copy of the parameters (gradients and activations are not copied): for PPO's
  /// actor, frozen reference and critic from one SFT model.
  public func copy() -> GPTModel {
    GPTModel(config: config, parameters: FloatArena(copying: parameters))
  }

  /// Number of parameters.
  public var parameterCount: Int { layout.totalCount }

  /// The parameter tensor called `name` (Hugging Face name), or nil.
  public func parameter(named name: String) -> UnsafeMutableBufferPointer<Float>? {
    layout.entries.first { $0.name == name }.map { parameters[$0.view] }
  }

  /// The gradient of the parameter tensor called `name`, or nil.
  public func gradient(named name: String) -> UnsafeMutableBufferPointer<Float>? {
    layout.entries.first { $0.name == name }.map { gradients[$0.view] }
  }

  /// Adds a value head `score.weight` (1, C) initialized N(0, 0.02²) from `seed`, keeping every
  /// other parameter (critic or scalar reward model from an SFT model). No effect if present.
  /// Gradients are reset; an AdamW built for the old layout must be rebuilt.
  public func addValueHead(seed: UInt64) {
    guard !config.hasValueHead else { return }
    var newConfig = config
    newConfig.hasValueHead = true
    let newLayout = ParameterLayout(config: newConfig)
    let arena = FloatArena(count: newLayout.totalCount)
    // The value head is appended last, so the old layout is a prefix of the new one.
    _ = UnsafeMutableBufferPointer(rebasing: arena.storage[0..<layout.totalCount])
      .update(fromContentsOf: parameters.storage[0..<layout.totalCount])
    var rng = SeededGenerator(seed: seed)
    rng.fillNormal(arena[newLayout.valueHeadWeight!], std: 0.02)
    replaceParameters(config: newConfig, arena: arena)
  }

  /// Removes the value head, if any (a scalar RM saved as a plain LM, for example).
  public func removeValueHead() {
    guard config.hasValueHead else { return }
    var newConfig = config
    newConfig.hasValueHead = false
    let newLayout = ParameterLayout(config: newConfig)
    let arena = FloatArena(count: newLayout.totalCount)
    _ = arena.storage.update(fromContentsOf: parameters.storage[0..<newLayout.totalCount])
    replaceParameters(config: newConfig, arena: arena)
  }

  /// Grows the vocabulary to `newSize` rows (extra special tokens on a pretrained model).
  /// New rows of the token embedding (and so of the tied LM head) are set to the mean of the
  /// existing rows: deterministic, and it keeps the new tokens' logits at the average logit,
  /// so the pretrained distribution barely moves (the idea of Hewitt 2021 and of transformers'
  /// `resize_token_embeddings(mean_resizing=True)`, without its random covariance term).
  public func resizeVocabulary(to newSize: Int) {
    let oldSize = config.vocabularySize
    guard newSize != oldSize else { return }
    guard newSize > oldSize else {
      fatalError("resizeVocabulary: cannot shrink \(oldSize) → \(newSize)")
    }
    var newConfig = config
    newConfig.vocabularySize = newSize
    let newLayout = ParameterLayout(config: newConfig)
    let arena = FloatArena(count: newLayout.totalCount)
    let C = config.channelCount
    let oldEmbedding = parameters[layout.tokenEmbedding]
    let newEmbedding = arena[newLayout.tokenEmbedding]
    _ = newEmbedding.update(fromContentsOf: oldEmbedding)
    var mean = [Double](repeating: 0, count: C)
    for row in 0..<oldSize { for i in 0..<C { mean[i] += Double(oldEmbedding[row * C + i]) } }
    for row in oldSize..<newSize {
      for i in 0..<C { newEmbedding[row * C + i] = Float(mean[i] / Double(oldSize)) }
    }
    // Everything after the token embedding keeps its order and shifts by the new rows.
    let rest = parameters.storage[layout.tokenEmbedding.end..<layout.totalCount]
    _ = UnsafeMutableBufferPointer(rebasing: arena.storage[newLayout.tokenEmbedding.end...])
      .update(fromContentsOf: rest)
    replaceParameters(config: newConfig, arena: arena)
  }

  private func replaceParameters(config newConfig: ModelConfig, arena: FloatArena) {
    config = newConfig
    layout = ParameterLayout(config: newConfig)
    parameters = arena
    gradients = FloatArena(count: layout.totalCount)
    activations = nil
    logitsAreValid = false
  }

  /// Pointer to the start of a parameter view.
  @inline(__always) func param(_ view: TensorView) -> UnsafeMutablePointer<Float> {
    parameters.storage.baseAddress! + view.offset
  }

  /// Pointer to the start of a gradient view.
  @inline(__always) func grad(_ view: TensorView) -> UnsafeMutablePointer<Float> {
    gradients.storage.baseAddress! + view.offset
  }
}
