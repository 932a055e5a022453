// RewardTrainingConfig: every knob of `rmtrain sft|seq2seq|scalar`, with defaults sized for a laptop
// run (a tiny GPT trained for a few minutes on 2 cores) and the references of METHOD.md §1.5, §3, §8.
// The whole struct is written to the run's config.json (`jsonValue`) and read back from `--config`
// files and on `--resume` (`init(json:)`); a key missing from a file keeps its default, an unknown
// key is an error (a typo must not silently train with a default).

import Corpus

/// Which objective a run trains (DESIGN.md "Target kinds").
public enum TrainingObjective: String, Sendable, CaseIterable {
  /// Next-token loss on the response and its EOS (data kind `sft`).
  case sft
  /// Sequence MLE on the corrected/copied target and its EOS (data kind `seq2seq`).
  case seq2seq
  /// Bradley–Terry on a value head read at each sequence's last real token (data kind `pairs`).
  case scalar

  /// The shard/stream target kind this objective trains on.
  public var targetKind: String { self == .scalar ? "pairs" : rawValue }
}

/// How the token losses of a batch are reduced (METHOD.md §1.3).
public enum LossNormalization: String, Sendable, CaseIterable {
  /// Σ weighted token losses / number of label tokens in the batch (default).
  case tokenMean = "token-mean"
  /// Σ token losses of each sequence, averaged over the sequences.
  case sequenceSum = "sequence-sum"
}

/// Every setting of one training run. Field names follow the literature; units in the comments.
public struct RewardTrainingConfig: Sendable, Equatable {
  /// The objective (fixed by the subcommand).
  public var objective: TrainingObjective

  // MARK: Model shape (used when training from scratch; `--init` fixes the shape instead)
  /// Transformer blocks.
  public var layers = 2
  /// Attention heads per block; must divide `width`.
  public var heads = 4
  /// Residual width C (n_embd).
  public var width = 128
  /// Longest sequence the model accepts (n_positions); 0 = the longest sequence in the data.
  /// Only the position table grows with it (batches are as long as their longest row), and a
  /// seq2seq RM initialised from an SFT run needs room for prompt + 2 responses: hence 512.
  public var contextLength = 512

  // MARK: Optimisation
  /// Sequences per step (pairs per step for `scalar`).
  public var batchSize = 8
  /// Passes over the training split.
  public var epochs = 1
  /// Stop after this many optimizer steps (0 = `epochs` decides).
  public var maxSteps = 0
  /// Peak AdamW learning rate.
  public var learningRate = 1e-3
  /// Fraction of the steps spent in linear warm-up (framework default 3%).
  public var warmupFraction = 0.03
  /// Cosine decay ends at `learningRate × minLearningRateRatio`.
  public var minLearningRateRatio = 0.1
  /// AdamW β1.
  public var beta1 = 0.9
  /// AdamW β2 (framework default 0.95).
  public var beta2 = 0.95
  /// AdamW ε.
  public var epsilon = 1e-8
  /// Decoupled weight decay (framework default 0 for reward models).
  public var weightDecay = 0.0
  /// Global gradient-norm clip (METHOD.md §8: 1.0); 0 turns clipping off.
  public var gradientClip = 1.0
  /// Token-loss reduction for `sft` and `seq2seq`.
  public var lossNormalization = LossNormalization.tokenMean
  /// λ of the scalar reward-magnitude regulariser λ·(r_w² + r_l²) (framework default 0.001).
  public var magnitudeCoefficient = 0.001
  /// Seed of weight initialisation and data shuffling.
  public var seed: UInt64 = 1234
  /// Engine threads (parallel loops and split products); a run is reproducible bit for bit at a
  /// fixed thread count.
  public var threads = 1

  // MARK: Reporting
  /// Log line (and metrics.jsonl flush) every N steps when stderr is not a terminal.
  public var logEvery = 10
  /// Evaluate on the validation split every N steps (0 = only at the end).
  public var evalEvery = 100
  /// Write a resumable checkpoint every N steps (0 = only on Ctrl-C and at the end).
  public var checkpointEvery = 100
  /// Evaluate on at most this many validation documents (0 = all).
  public var evalLimit = 256

  // MARK: Seq2seq reward extraction (recorded in rm_config.json; METHOD.md §2.2)
  /// Score of an agreeing token.
  public var rewardPositive = 1.0
  /// Magnitude of the (negative) score of a diverging token.
  public var rewardNegative = 1.0
  /// Extraction variant: "A" (agreeing tokens after the divergence score +r_pos) or "B" (0).
  public var extractionVariant = "A"

  /// Creates the defaults of `objective`.
  public init(objective: TrainingObjective) {
    self.objective = objective
    // A reward model starts from an SFT run in the usual pipeline: a smaller step suits it.
    if objective != .sft { learningRate = 5e-4 }
  }
}
