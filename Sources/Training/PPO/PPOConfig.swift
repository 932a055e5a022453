// The PPO knobs (METHOD.md §4, §7.2 and §8), one field per knob with its meaning and default.
// Defaults are the tiny-model column of METHOD.md §7.2 where it differs from the framework's.
// Units: learning rates per optimizer step, lengths in tokens, coefficients dimensionless.

#if canImport(Glibc)
import Glibc
#endif

/// Everything `rmppo train` can set about the PPO loop. Recorded in the run's config.
public struct PPOConfig: Sendable, Equatable, Codable {
  /// Number of PPO iterations (rollout → reward → update).
  public var iterations: Int = 100
  /// Prompts per rollout batch (METHOD.md §7.2: 64).
  public var rolloutBatchSize: Int = 64
  /// Rows per minibatch in the update; the rollout batch is split into
  /// ceil(rolloutBatchSize / minibatchSize) minibatches.
  public var minibatchSize: Int = 16
  /// PPO epochs over each rollout batch (`update_iters`, default 1; 1–4 acceptable).
  public var ppoEpochs: Int = 1
  /// Longest response sampled, in tokens, EOS included.
  public var maxNewTokens: Int = 32
  /// Sampling temperature; the same temperature is applied to every log-probability that enters
  /// the ratio and the KL, so rollouts sample from the distribution they are scored under (K20).
  public var temperature: Float = 1
  /// β, the per-token KL coefficient (METHOD.md §4: 0.02).
  public var klCoefficient: Float = 0.02
  /// Rewards are clipped to ±rewardClip after the KL penalty (METHOD.md §2.3: 50).
  public var rewardClip: Float = 50
  /// γ, the discount (1.0).
  public var gamma: Float = 1
  /// λ, the GAE parameter (0.95).
  public var gaeLambda: Float = 0.95
  /// ε, the policy-ratio clip range (0.2).
  public var clipRange: Float = 0.2
  /// Value clip range around the rollout's values (5.0).
  public var valueClipRange: Float = 5
  /// Entropy bonus coefficient in the actor loss (0: the framework adds none).
  public var entropyCoefficient: Float = 0
  /// Actor AdamW learning rate (tiny model: 1e-4), cosine schedule with `warmupFraction` warmup.
  public var actorLearningRate: Float = 1e-4
  /// Critic AdamW learning rate (about half the actor's), constant.
  public var criticLearningRate: Float = 5e-5
  /// Fraction of the actor's optimizer steps spent in linear warmup (0.03).
  public var warmupFraction: Float = 0.03
  /// Global gradient-norm clip for both optimizers (1.0).
  public var gradientClip: Float = 1
  /// Whiten advantages over the real tokens of each rollout batch (off).
  public var whitenAdvantages: Bool = false
  /// Normalise reward-model scores with running statistics (off; METHOD.md §4).
  public var normalizeRewards: Bool = false
  /// Subtracted from a scalar reward when the response hit `maxNewTokens` without EOS (0).
  public var missingEOSPenalty: Float = 0
  /// Seed for prompt order, sampling and minibatch shuffling.
  public var seed: UInt64 = 1

  /// The defaults.
  public init() {}

  /// Number of actor optimizer steps in the whole run.
  public var totalUpdateSteps: Int {
    iterations * ppoEpochs * ((rolloutBatchSize + minibatchSize - 1) / minibatchSize)
  }

  /// Actor learning rate at optimizer step `step` (0-based): linear warmup, then cosine to 0.
  public func actorLearningRate(atStep step: Int) -> Float {
    let total = max(1, totalUpdateSteps)
    let warmup = Int((Float(total) * warmupFraction).rounded(.up))
    if step < warmup { return actorLearningRate * Float(step + 1) / Float(warmup) }
    let progress = Float(step - warmup) / Float(max(1, total - warmup))
    return actorLearningRate * 0.5 * (1 + cos(Float.pi * min(progress, 1)))
  }
}
