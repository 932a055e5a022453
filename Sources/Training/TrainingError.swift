// Errors of the Training module: incompatible inputs, bad run directories, diverged training.

/// An error raised while training, evaluating or running PPO.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
  /// Two inputs that must agree (tokenizer sha256, special ids, target kind) do not.
  case incompatible(what: String, expected: String, found: String)
  // MARK: reward extraction and PPO (rmppo)
  /// A response alone does not fit in the reward model's context.
  case responseTooLong(length: Int, maxLength: Int)
  /// A reward, loss or advantage became NaN or infinite during PPO.
  case nonFiniteInPPO(what: String, iteration: Int)

  public var description: String {
    switch self {
    case .incompatible(let what, let expected, let found):
      return "incompatible \(what): expected \(expected), found \(found)"
    case .responseTooLong(let length, let maxLength):
      return "a response of \(length) tokens does not fit the reward model's context of "
        + "\(maxLength) tokens; lower --max-new-tokens"
    case .nonFiniteInPPO(let what, let iteration):
      return "\(what) is not finite at PPO iteration \(iteration); lower the learning rate or "
        + "raise --kl-coef"
    }
  }
}
