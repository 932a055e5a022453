// Errors of the Training module: incompatible inputs, bad configs and run directories, diverged
// training. Each case carries where (file, key, step, documents) and its description says what to do.

/// An error raised while training, evaluating or running PPO.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
  /// Two inputs that must agree (tokenizer sha256, special ids, target kind) do not.
  case incompatible(what: String, expected: String, found: String)
  /// A config file or flag has an unknown key or a bad value.
  case invalidConfig(source: String, key: String, detail: String)
  /// A run directory is missing a file or holds one that cannot be read.
  case badRunDirectory(path: String, detail: String)
  /// The loss became NaN or infinite at `step` on the batch made of these documents (K18).
  case nonFiniteLoss(step: Int, documents: [Int])
  /// The data has no usable example for the objective.
  case noTrainingData(detail: String)
  /// A sequence is longer than the model's context.
  case sequenceTooLong(document: Int, length: Int, contextLength: Int)
  // MARK: reward extraction and PPO (rmppo)
  /// A response alone does not fit in the reward model's context.
  case responseTooLong(length: Int, maxLength: Int)
  /// A reward, loss or advantage became NaN or infinite during PPO.
  case nonFiniteInPPO(what: String, iteration: Int)
  /// The output directory holds an interrupted run (`progress`: "step 40", "iteration 3") and
  /// neither --resume nor --overwrite was given.
  case interruptedRunExists(path: String, progress: String)

  public var description: String {
    switch self {
    case .incompatible(let what, let expected, let found):
      return "incompatible \(what): expected \(expected), found \(found)"
    case .invalidConfig(let source, let key, let detail):
      return key.isEmpty ? "\(source): \(detail)" : "\(source): '\(key)': \(detail)"
    case .badRunDirectory(let path, let detail):
      return "\(path): not a usable run directory: \(detail)"
    case .nonFiniteLoss(let step, let documents):
      return "loss is not finite at step \(step) (batch documents \(documents)); "
        + "lower --learning-rate or check the data"
    case .noTrainingData(let detail):
      return "no training data: \(detail)"
    case .sequenceTooLong(let document, let length, let contextLength):
      return
        "document \(document) has \(length) tokens but the model's context is \(contextLength); "
        + "re-run rmprep with --max-len \(contextLength) or train with a larger --context-length"
    case .responseTooLong(let length, let maxLength):
      return "a response of \(length) tokens does not fit the reward model's context of "
        + "\(maxLength) tokens; lower --max-new-tokens"
    case .interruptedRunExists(let path, let progress):
      return
        "\(path) holds an interrupted run at \(progress): pass --resume to continue or --overwrite"
        + " to start again"
    case .nonFiniteInPPO(let what, let iteration):
      return "\(what) is not finite at PPO iteration \(iteration); lower the learning rate or "
        + "raise --kl-coef"
    }
  }
}
