// The per-token KL penalty and the reward PPO optimizes (METHOD.md §2.3, §3):
//   r_t = clip( s_t − β·(log π(y_t) − log π_ref(y_t)), −c, +c )   on real response tokens,
// where s_t is the token score from the reward model (seq2seq arm: every token; scalar arm: the
// last real token only). Layout: flat (rows · width) arrays; mask 1 on real tokens (EOS
// included). Padding gets reward 0 and KL 0 whatever is stored there (K20, K21).

/// The rewards fed to GAE and the KL they contain.
public struct PenalizedRewards: Sendable, Equatable {
  /// r_t after the KL penalty and the clip, 0 at masked positions.
  public var rewards: [Float]
  /// log π(y_t) − log π_ref(y_t) per token, 0 at masked positions.
  public var kl: [Float]
}

/// Per-token KL estimate log π − log π_ref (the "k1" estimator on sampled tokens), 0 where
/// `mask` is 0. At step 0 (π = π_ref) it is exactly 0 everywhere, as K20 requires, because both
/// log-probabilities come from the same code on the same sampled tokens.
public func perTokenKL(logProbs: [Float], referenceLogProbs: [Float], mask: [Float]) -> [Float] {
  precondition(
    logProbs.count == referenceLogProbs.count && logProbs.count == mask.count,
    "perTokenKL: inputs differ in shape")
  return logProbs.indices.map { mask[$0] == 0 ? 0 : logProbs[$0] - referenceLogProbs[$0] }
}

/// r_t = clip(s_t − β·KL_t, −rewardClip, +rewardClip) on real tokens, 0 on padding.
/// - Parameters:
///   - scores: s_t, the reward model's per-token scores (rows · width).
///   - klCoefficient: β (METHOD.md §4 default 0.02).
///   - rewardClip: c (default 50); pass `.infinity` to disable.
public func penalizedRewards(
  scores: [Float], logProbs: [Float], referenceLogProbs: [Float], mask: [Float],
  klCoefficient: Float, rewardClip: Float
) -> PenalizedRewards {
  precondition(scores.count == mask.count, "penalizedRewards: scores and mask differ in shape")
  let kl = perTokenKL(logProbs: logProbs, referenceLogProbs: referenceLogProbs, mask: mask)
  let rewards = scores.indices.map { i -> Float in
    guard mask[i] != 0 else { return 0 }
    return min(max(scores[i] - klCoefficient * kl[i], -rewardClip), rewardClip)
  }
  return PenalizedRewards(rewards: rewards, kl: kl)
}

/// Sum of per-token KL over each row's real tokens, averaged over rows: the sequence KL that
/// `rmppo` logs as `objective/kl`.
public func meanSequenceKL(_ kl: [Float], mask: [Float], width: Int) -> Float {
  let rows = kl.count / width
  guard rows > 0 else { return 0 }
  var total = 0.0
  for i in kl.indices where mask[i] != 0 { total += Double(kl[i]) }
  return Float(total / Double(rows))
}
