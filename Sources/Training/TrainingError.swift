// Errors of the Training module: incompatible inputs, bad run directories, diverged training.

/// An error raised while training, evaluating or running PPO.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
  /// Two inputs that must agree (tokenizer sha256, special ids, target kind) do not.
  case incompatible(what: String, expected: String, found: String)

  public var description: String {
    switch self {
    case .incompatible(let what, let expected, let found):
      return "incompatible \(what): expected \(expected), found \(found)"
    }
  }
}
