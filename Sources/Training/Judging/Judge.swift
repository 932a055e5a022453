// Judges for `rmppo eval`: anything that scores a (prompt, response) pair, higher is better.
// The reward-model judge wraps any reward run: a scalar RM's R(x, y) at the last token, or the
// sum of a seq2seq RM's token scores (METHOD.md §2.2, variant A by default). The embedded task's
// programmatic judge is adapted in the rmppo executable (module EmbeddedTask).

import BPE

/// Scores responses; higher is better. Prompts arrive as `[BOS] x [SEP_RESP]` token ids and
/// responses as sampled (EOS included when emitted); text judges decode them.
public protocol ResponseJudge: AnyObject {
  /// A short name for reports ("rm:<path>", "gold:<task>").
  var name: String { get }
  /// One score per (prompt, response) pair.
  func scores(prompts: [[TokenID]], responses: [[TokenID]]) throws -> [Double]
}

/// A reward-model run as a judge.
public final class RewardModelJudge: ResponseJudge {
  public let name: String
  let scorer: any TokenScorer
  let width: Int

  /// A judge over `scorer`; responses up to `maxResponseLength` tokens.
  public init(name: String, scorer: any TokenScorer, maxResponseLength: Int) {
    self.name = name
    self.scorer = scorer
    width = maxResponseLength
  }

  public func scores(prompts: [[TokenID]], responses: [[TokenID]]) throws -> [Double] {
    let batch = RolloutBatch(
      prompts: prompts, responses: responses,
      endsWithEOS: [Bool](repeating: true, count: responses.count), width: width)
    let scored = try scorer.score(batch)
    return (0..<batch.rowCount).map { row in
      (0..<width).reduce(0.0) { $0 + Double(scored.scores[row * width + $1]) }
    }
  }
}

/// What `rmppo eval` reports about one policy.
public struct PolicySummary: Sendable, Equatable {
  /// Mean response length in tokens (EOS included).
  public var meanLength: Double
  /// Fraction of responses flagged as refusals.
  public var refusalRate: Double
  /// Mean judge score.
  public var meanScore: Double

  /// Summarises responses with their judge scores and refusal flags.
  public init(lengths: [Int], refusals: [Bool], scores: [Double]) {
    let n = Double(max(1, lengths.count))
    meanLength = Double(lengths.reduce(0, +)) / n
    refusalRate = Double(refusals.filter { $0 }.count) / n
    meanScore = scores.reduce(0, +) / n
  }
}
