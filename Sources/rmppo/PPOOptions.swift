// Turning `rmppo train` flags into PPOConfig and TokenRewardConfig, and the run's "seq2seqrm"
// block (kind, settings, special ids, tokenizer sha256, lineage) written into config.json.

import BPE
import CLISupport
import Corpus
import Training

/// PPOConfig from the flags; absent flags keep METHOD.md's defaults.
func ppoConfig(from args: Arguments) throws -> PPOConfig {
  var c = PPOConfig()
  c.iterations = try args.value("iterations", default: c.iterations)
  c.rolloutBatchSize = try args.value("batch-size", default: c.rolloutBatchSize)
  c.minibatchSize = try args.value(
    "minibatch-size", default: min(c.minibatchSize, c.rolloutBatchSize))
  c.ppoEpochs = try args.value("ppo-epochs", default: c.ppoEpochs)
  c.maxNewTokens = try args.value("max-new-tokens", default: c.maxNewTokens)
  c.temperature = try args.value("temperature", default: c.temperature)
  c.klCoefficient = try args.value("kl-coef", default: c.klCoefficient)
  c.rewardClip = try args.value("reward-clip", default: c.rewardClip)
  c.gamma = try args.value("gamma", default: c.gamma)
  c.gaeLambda = try args.value("gae-lambda", default: c.gaeLambda)
  c.clipRange = try args.value("clip-range", default: c.clipRange)
  c.valueClipRange = try args.value("value-clip", default: c.valueClipRange)
  c.entropyCoefficient = try args.value("entropy-coef", default: c.entropyCoefficient)
  c.actorLearningRate = try args.value("actor-lr", default: c.actorLearningRate)
  c.criticLearningRate = try args.value("critic-lr", default: c.criticLearningRate)
  c.warmupFraction = try args.value("warmup", default: c.warmupFraction)
  c.gradientClip = try args.value("grad-clip", default: c.gradientClip)
  c.whitenAdvantages = args.flag("whiten-advantages")
  c.normalizeRewards = args.flag("normalize-rewards")
  c.missingEOSPenalty = try args.value("missing-eos-penalty", default: c.missingEOSPenalty)
  c.seed = try args.value("seed", default: c.seed)
  guard c.iterations >= 1, c.rolloutBatchSize >= 1, c.minibatchSize >= 1, c.ppoEpochs >= 1,
    c.maxNewTokens >= 1
  else {
    throw UsageError(
      "--iterations, --batch-size, --minibatch-size, --ppo-epochs and --max-new-tokens must be >= 1"
    )
  }
  guard c.temperature > 0 else { throw UsageError("--temperature must be > 0") }
  let unitInterval: [(String, Double)] = [
    ("gamma", Double(c.gamma)), ("gae-lambda", Double(c.gaeLambda)),
    ("warmup", Double(c.warmupFraction)),
  ]
  for (flag, value) in unitInterval where !(0...1).contains(value) {
    throw UsageError(
      "invalid value '\(args.string(flag) ?? "")' for '--\(flag)': must be in [0, 1]")
  }
  let positive: [(String, Double)] = [
    ("actor-lr", Double(c.actorLearningRate)), ("critic-lr", Double(c.criticLearningRate)),
    ("clip-range", Double(c.clipRange)),
  ]
  for (flag, value) in positive where !(value > 0) {
    throw UsageError("invalid value '\(args.string(flag) ?? "")' for '--\(flag)': must be > 0")
  }
  let nonNegative: [(String, Double)] = [
    ("kl-coef", Double(c.klCoefficient)), ("entropy-coef", Double(c.entropyCoefficient)),
    ("value-clip", Double(c.valueClipRange)), ("grad-clip", Double(c.gradientClip)),
    ("reward-clip", Double(c.rewardClip)),
  ]
  for (flag, value) in nonNegative where !(value >= 0) {
    throw UsageError("invalid value '\(args.string(flag) ?? "")' for '--\(flag)': must be >= 0")
  }
  return c
}

/// `--threads` (default 1), which must be at least 1.
func threadCount(_ args: Arguments) throws -> Int {
  let threads: Int = try args.value("threads", default: 1)
  guard threads >= 1 else {
    throw UsageError("invalid value '\(threads)' for '--threads': expected an integer >= 1")
  }
  return threads
}

/// Extraction knobs: flags first, then the reward run's rm_config.json, then METHOD.md defaults.
func extractionConfig(from args: Arguments, rewardRun: String) throws -> TokenRewardConfig {
  var config = TokenRewardConfig()
  let path = rewardRun + "/rm_config.json"
  if let bytes = try? FileBytes.read(path), let json = try? JSONParser.parse(bytes, path: path),
    let extraction = json["extraction"]
  {
    if let variant = extraction["variant"]?.stringValue.flatMap(ExtractionVariant.init(rawValue:)) {
      config.variant = variant
    }
    if let r = extraction["r_pos"]?.doubleValue { config.positiveReward = Float(r) }
    if let r = extraction["r_neg"]?.doubleValue { config.negativeReward = Float(r) }
  }
  if let text = args.string("variant") {
    guard let variant = ExtractionVariant(rawValue: text.uppercased()) else {
      throw UsageError("invalid value '\(text)' for '--variant': expected one of A, B, C")
    }
    config.variant = variant
  }
  config.positiveReward = try args.value("r-pos", default: config.positiveReward)
  config.negativeReward = try args.value("r-neg", default: config.negativeReward)
  config.dividesByLength = args.flag("divide-by-length")
  return config
}

/// The "seq2seqrm" block of a PPO run's config.json.
func runSettings(
  config: PPOConfig, extraction: TokenRewardConfig, specials: SpecialTokenIDs,
  tokenizerSHA256: String,
  lineage: [(String, JSONValue)], rewardKind: String
) -> JSONValue {
  .object([
    (key: "toolkit_version", value: .string(ToolkitVersion.string)),
    (key: "kind", value: .string("ppo")),
    (key: "reward_kind", value: .string(rewardKind)),
    (key: "ppo", value: config.jsonValue),
    (
      key: "extraction",
      value: .object([
        (key: "variant", value: .string(extraction.variant.rawValue)),
        (key: "r_pos", value: .double(Double(extraction.positiveReward))),
        (key: "r_neg", value: .double(Double(extraction.negativeReward))),
        (key: "divide_by_length", value: .bool(extraction.dividesByLength)),
      ])
    ),
    (key: "special_token_ids", value: PolicyRun.specialsJSON(specials)),
    (key: "tokenizer_sha256", value: .string(tokenizerSHA256)),
    (key: "lineage", value: .object(lineage.map { (key: $0.0, value: $0.1) })),
  ])
}
