// Batched autoregressive sampling with a KV cache: temperature, top-k, top-p (nucleus), EOS
// stop, a cap on new tokens, and a seed. Each sequence draws from its own generator, derived
// from (seed, sequence index), so a sequence's sample does not depend on the batch around it.
// Returned log-probabilities are those of the unmodified model distribution (temperature 1,
// no top-k/top-p filtering): the distribution whose log-probs enter PPO's ratio and KL
// (KNOWN-FAULTS K20); sampling itself uses the filtered, tempered distribution.

#if canImport(Glibc)
import Glibc
#endif

/// Sampling knobs.
public struct SamplingOptions: Sendable, Equatable {
  /// Maximum number of tokens to generate per prompt (EOS included).
  public var maxNewTokens: Int
  /// Softmax temperature; 0 means greedy (argmax, ties to the lowest id).
  public var temperature: Float
  /// Keep only the k most likely tokens; 0 disables.
  public var topK: Int
  /// Keep the smallest set of most likely tokens whose probability reaches p; 1 disables.
  public var topP: Float
  /// Stop a sequence after it emits this token (included in the output); nil disables.
  public var eosID: Int32?
  /// Seed of the per-sequence generators.
  public var seed: UInt64

  /// Options; defaults are plain sampling at temperature 1.
  public init(
    maxNewTokens: Int, temperature: Float = 1, topK: Int = 0, topP: Float = 1, eosID: Int32? = nil,
    seed: UInt64 = 0
  ) {
    self.maxNewTokens = maxNewTokens
    self.temperature = temperature
    self.topK = topK
    self.topP = topP
    self.eosID = eosID
    self.seed = seed
  }
}

/// One generated continuation.
public struct GeneratedSequence: Sendable, Equatable {
  /// New tokens (without the prompt), EOS included when it was sampled.
  public var tokens: [Int32]
  /// log p_model(token) of each new token under the unmodified distribution.
  public var logProbabilities: [Float]
  /// Whether generation stopped on EOS (false: max new tokens or context length reached).
  public var hitEOS: Bool
}

/// Generates continuations of `prompts` (each non-empty, shorter than the context length)
/// with a KV cache, all prompts decoding in lockstep.
/// - Returns: one `GeneratedSequence` per prompt, in order.
public func generate(model: GPTModel, prompts: [[Int32]], options: SamplingOptions)
  -> [GeneratedSequence]
{
  let S = prompts.count
  let V = model.config.vocabularySize
  let contextLength = model.config.contextLength
  guard S > 0 else { return [] }
  for (i, prompt) in prompts.enumerated() where prompt.isEmpty || prompt.count >= contextLength {
    fatalError("generate: prompt \(i) has \(prompt.count) tokens; need 1..<\(contextLength)")
  }
  let cache = KVCache(model: model, sequenceCount: S)
  var results = [GeneratedSequence](
    repeating: GeneratedSequence(tokens: [], logProbabilities: [], hitEOS: false), count: S)
  var generators = (0..<S).map {
    SeededGenerator(seed: derivedSeed(options.seed, stream: UInt64($0)))
  }
  var sampler = TokenSampler(vocabularySize: V)

  // 1. Prefill every prompt in one step; logits of each prompt's last token.
  var sequences: [Int] = []
  var tokens: [Int32] = []
  var logitRows: [Int] = []
  for (s, prompt) in prompts.enumerated() {
    sequences.append(contentsOf: repeatElement(s, count: prompt.count))
    tokens.append(contentsOf: prompt)
    logitRows.append(tokens.count - 1)
  }
  var active = Array(0..<S)
  var logits = cache.append(sequences: sequences, tokens: tokens, logitRows: logitRows)
  if options.maxNewTokens <= 0 { return results }

  // 2. Decode: sample for every active sequence, then feed the new tokens back.
  while true {
    var next: [Int32] = []
    var stillActive: [Int] = []
    for (j, s) in active.enumerated() {
      let (token, logProbability) = logits.withUnsafeBufferPointer { all in
        sampler.sample(
          UnsafeBufferPointer(rebasing: all[(j * V)..<((j + 1) * V)]), options: options,
          generator: &generators[s])
      }
      results[s].tokens.append(token)
      results[s].logProbabilities.append(logProbability)
      if token == options.eosID {
        results[s].hitEOS = true
      } else if results[s].tokens.count < options.maxNewTokens && cache.lengths[s] < contextLength {
        next.append(token)
        stillActive.append(s)
      }
    }
    active = stillActive
    if active.isEmpty { break }
    logits = cache.append(sequences: active, tokens: next, logitRows: Array(0..<active.count))
  }
  return results
}

/// Convenience with the knobs as arguments.
public func generate(
  model: GPTModel, prompts: [[Int32]], maxNewTokens: Int, temperature: Float, topK: Int = 0,
  topP: Float = 1, eosID: Int32?, seed: UInt64
) -> [GeneratedSequence] {
  generate(
    model: model, prompts: prompts,
    options: SamplingOptions(
      maxNewTokens: maxNewTokens, temperature: temperature, topK: topK, topP: topP, eosID: eosID,
      seed: seed))
}

/// Picks one token from a logits row; owns reusable scratch.
struct TokenSampler {
  private var probabilities: [Float]
  private var order: [Int32]

  init(vocabularySize V: Int) {
    probabilities = [Float](repeating: 0, count: V)
    order = (0..<Int32(V)).map { $0 }
  }

  /// Returns the chosen token and its log-probability under softmax(logits) (temperature 1).
  mutating func sample(
    _ logits: UnsafeBufferPointer<Float>, options: SamplingOptions, generator: inout SeededGenerator
  ) -> (Int32, Float) {
    let V = logits.count
    // Unmodified log-softmax normalizer, in Double.
    var maxLogit = -Float.infinity
    for x in logits { maxLogit = max(maxLogit, x) }
    var total = 0.0
    for x in logits { total += exp(Double(x - maxLogit)) }
    let logZ = Double(maxLogit) + log(total)
    func logProbability(_ t: Int) -> Float { Float(Double(logits[t]) - logZ) }

    if options.temperature <= 0 {
      var best = 0
      for i in 1..<V where logits[i] > logits[best] { best = i }
      return (Int32(best), logProbability(best))
    }
    // Tempered probabilities over the candidate set (sorted by probability when filtering).
    let inverseTemperature = 1 / Double(options.temperature)
    var candidates = V
    for i in 0..<V {
      probabilities[i] = Float(exp(Double(logits[i] - maxLogit) * inverseTemperature))
    }
    let filtering = (options.topK > 0 && options.topK < V) || options.topP < 1
    if filtering {
      for i in 0..<V { order[i] = Int32(i) }
      let p = probabilities
      order.sort { p[Int($0)] > p[Int($1)] || (p[Int($0)] == p[Int($1)] && $0 < $1) }
      if options.topK > 0 { candidates = min(candidates, options.topK) }
      if options.topP < 1 {
        var mass = 0.0
        for i in 0..<candidates { mass += Double(p[Int(order[i])]) }
        var cumulative = 0.0
        var keep = 0
        while keep < candidates {
          cumulative += Double(p[Int(order[keep])]) / mass
          keep += 1
          if cumulative >= Double(options.topP) { break }
        }
        candidates = max(1, keep)
      }
    }
    var mass = 0.0
    for i in 0..<candidates { mass += Double(probabilities[filtering ? Int(order[i]) : i]) }
    let u = generator.nextUnit() * mass
    var cumulative = 0.0
    var chosen = filtering ? Int(order[candidates - 1]) : candidates - 1
    for i in 0..<candidates {
      let t = filtering ? Int(order[i]) : i
      cumulative += Double(probabilities[t])
      if u < cumulative {
        chosen = t
        break
      }
    }
    return (Int32(chosen), logProbability(chosen))
  }
}
