// What one PPO iteration reports, under stable slash names (STYLE.md D3) that `metrics.jsonl`,
// the SVG curves and `rmppo report` all use. Means are over rows (sequence sums) or over real
// response tokens (token means), as each doc comment says.

/// The metrics of one PPO iteration.
public struct PPOMetrics: Sendable, Equatable {
  /// 1-based iteration number (`iteration`).
  public var iteration = 0
  /// Mean over rows of Σ_t s_t, the raw reward-model score (`env/reward_mean`).
  public var rewardMean = 0.0
  /// Standard deviation over rows of Σ_t s_t (`env/reward_std`).
  public var rewardStd = 0.0
  /// Mean over rows of Σ_t (log π − log π_ref) (`objective/kl`).
  public var kl = 0.0
  /// Mean over rows of Σ_t r_t, the penalized and clipped reward (`objective/rlhf_reward`).
  public var penalizedRewardMean = 0.0
  /// Mean response length in tokens, EOS included (`response/length_mean`).
  public var responseLengthMean = 0.0
  /// Fraction of responses that ended with EOS (`response/eos_fraction`).
  public var eosFraction = 0.0
  /// Fraction of responses the refusal lexicon flags; nil without a lexicon (`response/refusal_rate`).
  public var refusalRate: Double?
  /// Token-mean entropy of the rollout policy in nats (`policy/entropy`).
  public var entropy = 0.0
  /// Token-mean clipped surrogate loss, averaged over minibatches (`loss/policy`).
  public var policyLoss = 0.0
  /// Token-mean clipped value loss, averaged over minibatches (`loss/value`).
  public var valueLoss = 0.0
  /// Fraction of tokens with |ρ − 1| > ε, averaged over minibatches (`ppo/clipfrac`).
  public var clipFraction = 0.0
  /// k3 estimate of KL(π_old ‖ π_new), averaged over minibatches (`ppo/approx_kl`).
  public var approximateKL = 0.0
  /// Fraction of tokens whose value was clipped (`ppo/value_clipfrac`).
  public var valueClipFraction = 0.0
  /// Token-mean advantage before whitening (`ppo/advantage_mean`).
  public var advantageMean = 0.0
  /// Token-mean return (`ppo/return_mean`).
  public var returnMean = 0.0
  /// Seq2seq arm: mean first-divergence index k (`reward/first_divergence_mean`).
  public var firstDivergenceMean: Double?
  /// Reward normalisation state after this batch (`reward/norm_mean`, `_std`, `_count`).
  public var normalization: RunningMeanStd?
  /// Actor learning rate at the last update (`lr/actor`).
  public var actorLearningRate = 0.0
  /// Response tokens sampled per second (`perf/rollout_tokens_per_s`).
  public var rolloutTokensPerSecond = 0.0
  /// Response tokens scored (reference, critic and RM passes) per second (`perf/reward_tokens_per_s`).
  public var rewardTokensPerSecond = 0.0
  /// Response tokens trained per second over all epochs (`perf/update_tokens_per_s`).
  public var updateTokensPerSecond = 0.0
  /// CPU seconds of the process (all threads, user + system) in the rollout, reward and update
  /// phases (`perf/{rollout,reward,update}_cpu_s`): steadier than the wall-clock rates above when
  /// other jobs share the cores.
  public var rolloutCPUSeconds = 0.0, rewardCPUSeconds = 0.0, updateCPUSeconds = 0.0
  /// Problems to tell the user about (K20: KL below 0 for several iterations).
  public var warnings: [String] = []

  /// Empty metrics.
  public init() {}

  /// (name, value) pairs in a fixed order; optional metrics appear only when present.
  public var namedValues: [(String, Double)] {
    var out: [(String, Double)] = [
      ("iteration", Double(iteration)), ("env/reward_mean", rewardMean),
      ("env/reward_std", rewardStd), ("objective/kl", kl),
      ("objective/rlhf_reward", penalizedRewardMean), ("response/length_mean", responseLengthMean),
      ("response/eos_fraction", eosFraction),
    ]
    if let refusalRate { out.append(("response/refusal_rate", refusalRate)) }
    out += [
      ("policy/entropy", entropy), ("loss/policy", policyLoss), ("loss/value", valueLoss),
      ("ppo/clipfrac", clipFraction), ("ppo/approx_kl", approximateKL),
      ("ppo/value_clipfrac", valueClipFraction), ("ppo/advantage_mean", advantageMean),
      ("ppo/return_mean", returnMean),
    ]
    if let firstDivergenceMean { out.append(("reward/first_divergence_mean", firstDivergenceMean)) }
    if let normalization {
      out += [
        ("reward/norm_mean", normalization.mean),
        ("reward/norm_std", normalization.standardDeviation),
        ("reward/norm_count", normalization.count),
      ]
    }
    out += [
      ("lr/actor", actorLearningRate), ("perf/rollout_cpu_s", rolloutCPUSeconds),
      ("perf/reward_cpu_s", rewardCPUSeconds), ("perf/update_cpu_s", updateCPUSeconds),
      ("perf/rollout_tokens_per_s", rolloutTokensPerSecond),
      ("perf/reward_tokens_per_s", rewardTokensPerSecond),
      ("perf/update_tokens_per_s", updateTokensPerSecond),
    ]
    return out
  }
}
