// Token-level rewards from a seq2seq reward model (METHOD.md §2.2, §2.4).
// One teacher-forced pass of the RM over `[BOS] x [SEP_RESP] y' [SEP_CORR] y` (y' = y without
// its EOS) gives, at each response position t, the RM's greedy prediction ŷ_t. Before the first
// divergence k this equals greedy-decoding the RM and comparing prefixes, so one pass suffices.
// Scores: t < k → +r_pos; t ≥ k and ŷ_t ≠ y_t → −r_neg; t ≥ k and ŷ_t = y_t → variant A: +r_pos,
// variant B: 0; variant C weighs each mark by the RM's probability. Logits rows are (V) Floats.

import BPE

#if canImport(Glibc)
import Glibc
#endif

/// How agreeing tokens after the first divergence are scored (METHOD.md §2.2).
public enum ExtractionVariant: String, Sendable, CaseIterable, Codable {
  /// Every token judged locally: agreeing tokens score +r_pos everywhere (the default).
  case a = "A"
  /// Literal reading: only the pre-divergence prefix scores +r_pos; later agreeing tokens 0.
  case b = "B"
  /// Probability-weighted: +p(y_t) when agreeing, −p(ŷ_t) when diverging (not from the paper).
  case c = "C"
}

/// The extraction knobs of METHOD.md §8, recorded in `rm_config.json` and the PPO run config.
public struct TokenRewardConfig: Sendable, Equatable, Codable {
  /// Scoring of agreeing tokens after the first divergence (`--variant`, default A).
  public var variant: ExtractionVariant
  /// r_pos: score of a token the RM would have written (`--r-pos`, default 1.0).
  public var positiveReward: Float
  /// r_neg: magnitude of the penalty of a diverging token (`--r-neg`, default 1.0).
  public var negativeReward: Float
  /// Divide every score by the response length T (`--divide-by-length`, default off).
  public var dividesByLength: Bool

  /// The METHOD.md defaults unless given.
  public init(
    variant: ExtractionVariant = .a, positiveReward: Float = 1, negativeReward: Float = 1,
    dividesByLength: Bool = false
  ) {
    self.variant = variant
    self.positiveReward = positiveReward
    self.negativeReward = negativeReward
    self.dividesByLength = dividesByLength
  }
}

/// The scores of one response and what they were computed from.
public struct TokenRewards: Sendable, Equatable {
  /// One score per response token (EOS included when the response has one).
  public var scores: [Float]
  /// The RM's greedy prediction ŷ_t at each response position.
  public var predictions: [TokenID]
  /// k: index of the first token where ŷ_t ≠ y_t, or `scores.count` when the RM agrees everywhere.
  public var firstDivergence: Int
}

/// Scores a response from the RM's greedy predictions (variants A and B, or C with confidences).
///
/// - Parameters:
///   - response: y, the policy's tokens (length T ≥ 0).
///   - predictions: ŷ, the RM's argmax at each of the T positions.
///   - predictedProbabilities: p(ŷ_t), needed by variant C only.
///   - responseProbabilities: p(y_t), needed by variant C only.
/// - Example: y = [5, 6, 7, 8], ŷ = [5, 9, 7, 1], variant A → [+1, −1, +1, −1], k = 1;
///   variant B → [+1, −1, 0, −1].
public func tokenScores(
  response: [TokenID], predictions: [TokenID], predictedProbabilities: [Float] = [],
  responseProbabilities: [Float] = [], config: TokenRewardConfig
) -> TokenRewards {
  precondition(predictions.count == response.count, "tokenScores: one prediction per token")
  let count = response.count
  let firstDivergence = (0..<count).first { predictions[$0] != response[$0] } ?? count
  let usesConfidence = config.variant == .c
  precondition(
    !usesConfidence
      || (predictedProbabilities.count == count
        && responseProbabilities.count == count),
    "tokenScores: variant C needs both probabilities")
  let scale: Float = config.dividesByLength && count > 0 ? 1 / Float(count) : 1
  var scores = [Float](repeating: 0, count: count)
  for t in 0..<count {
    let agrees = predictions[t] == response[t]
    let score: Float
    if usesConfidence {
      score = agrees ? responseProbabilities[t] : -predictedProbabilities[t]
    } else if t < firstDivergence {
      score = config.positiveReward
    } else if !agrees {
      score = -config.negativeReward
    } else {
      score = config.variant == .a ? config.positiveReward : 0
    }
    scores[t] = score * scale
  }
  return TokenRewards(scores: scores, predictions: predictions, firstDivergence: firstDivergence)
}

/// Scores a response from the RM logits at its T positions: argmax (lowest id on ties, as
/// `torch.argmax`) and, for variant C, the softmax probabilities.
/// - Parameters:
///   - logits: (T, V) row-major; row t is the RM's distribution for y_t.
public func tokenScores(
  response: [TokenID], logits: UnsafeBufferPointer<Float>, vocabularySize: Int,
  config: TokenRewardConfig
) -> TokenRewards {
  precondition(
    logits.count == response.count * vocabularySize, "tokenScores: logits must be (T, V)")
  var predictions = [TokenID](repeating: 0, count: response.count)
  var predicted = [Float](repeating: 0, count: response.count)
  var actual = [Float](repeating: 0, count: response.count)
  for t in response.indices {
    let row = UnsafeBufferPointer(
      rebasing: logits[(t * vocabularySize)..<((t + 1) * vocabularySize)])
    let best = greedyToken(row)
    predictions[t] = TokenID(best)
    if config.variant == .c {
      predicted[t] = tokenProbability(best, logits: row)
      actual[t] = tokenProbability(Int(response[t]), logits: row)
    }
  }
  return tokenScores(
    response: response, predictions: predictions, predictedProbabilities: predicted,
    responseProbabilities: actual, config: config)
}

/// argmax of one logits row; the lowest index wins a tie.
public func greedyToken(_ row: UnsafeBufferPointer<Float>) -> Int {
  var best = 0
  for i in 1..<row.count where row[i] > row[best] { best = i }
  return best
}

/// softmax(row)[token], computed in Double.
func tokenProbability(_ token: Int, logits row: UnsafeBufferPointer<Float>) -> Float {
  var maxLogit = -Double.infinity
  for z in row { maxLogit = max(maxLogit, Double(z)) }
  var sum = 0.0
  for z in row { sum += exp(Double(z) - maxLogit) }
  return Float(exp(Double(row[token]) - maxLogit) / sum)
}
