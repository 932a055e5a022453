// PPOConfig as JSON (the run's config.json "seq2seqrm.ppo" block and the checkpoint's trainer
// state): snake_case keys, one per field, read back strictly so a resumed run keeps its settings.

import Corpus

extension PPOConfig {
  /// Every field under a stable snake_case key.
  public var jsonValue: JSONValue {
    .object([
      (key: "iterations", value: .int(iterations)),
      (key: "rollout_batch_size", value: .int(rolloutBatchSize)),
      (key: "minibatch_size", value: .int(minibatchSize)),
      (key: "ppo_epochs", value: .int(ppoEpochs)),
      (key: "max_new_tokens", value: .int(maxNewTokens)),
      (key: "temperature", value: .double(Double(temperature))),
      (key: "kl_coef", value: .double(Double(klCoefficient))),
      (key: "reward_clip", value: .double(Double(rewardClip))),
      (key: "gamma", value: .double(Double(gamma))),
      (key: "gae_lambda", value: .double(Double(gaeLambda))),
      (key: "clip_range", value: .double(Double(clipRange))),
      (key: "value_clip_range", value: .double(Double(valueClipRange))),
      (key: "entropy_coef", value: .double(Double(entropyCoefficient))),
      (key: "actor_lr", value: .double(Double(actorLearningRate))),
      (key: "critic_lr", value: .double(Double(criticLearningRate))),
      (key: "warmup_fraction", value: .double(Double(warmupFraction))),
      (key: "gradient_clip", value: .double(Double(gradientClip))),
      (key: "whiten_advantages", value: .bool(whitenAdvantages)),
      (key: "normalize_rewards", value: .bool(normalizeRewards)),
      (key: "missing_eos_penalty", value: .double(Double(missingEOSPenalty))),
      (key: "seed", value: .string(String(seed))),
    ])
  }

  /// Reads a config written by `jsonValue`.
  /// - Throws: `TrainingError.invalidConfig` naming the missing or malformed key.
  public init(json: JSONValue, source: String) throws {
    self.init()
    func number(_ key: String) throws -> Double {
      guard let value = json[key]?.doubleValue else {
        throw TrainingError.invalidConfig(
          source: source, key: key, detail: "missing or not a number")
      }
      return value
    }
    func flag(_ key: String) throws -> Bool {
      guard let value = json[key]?.boolValue else {
        throw TrainingError.invalidConfig(
          source: source, key: key, detail: "missing or not a boolean")
      }
      return value
    }
    iterations = Int(try number("iterations"))
    rolloutBatchSize = Int(try number("rollout_batch_size"))
    minibatchSize = Int(try number("minibatch_size"))
    ppoEpochs = Int(try number("ppo_epochs"))
    maxNewTokens = Int(try number("max_new_tokens"))
    temperature = Float(try number("temperature"))
    klCoefficient = Float(try number("kl_coef"))
    rewardClip = Float(try number("reward_clip"))
    gamma = Float(try number("gamma"))
    gaeLambda = Float(try number("gae_lambda"))
    clipRange = Float(try number("clip_range"))
    valueClipRange = Float(try number("value_clip_range"))
    entropyCoefficient = Float(try number("entropy_coef"))
    actorLearningRate = Float(try number("actor_lr"))
    criticLearningRate = Float(try number("critic_lr"))
    warmupFraction = Float(try number("warmup_fraction"))
    gradientClip = Float(try number("gradient_clip"))
    whitenAdvantages = try flag("whiten_advantages")
    normalizeRewards = try flag("normalize_rewards")
    missingEOSPenalty = Float(try number("missing_eos_penalty"))
    guard let seedText = json["seed"]?.stringValue, let seed = UInt64(seedText) else {
      throw TrainingError.invalidConfig(
        source: source, key: "seed", detail: "missing or not a UInt64 string")
    }
    self.seed = seed
  }
}
