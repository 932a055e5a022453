// Errors of the Transformer module that come from data (checkpoints). Shape mistakes in code are
// programmer errors and trap with a message instead (STYLE.md D5.2).

/// An error raised while reading or writing a checkpoint.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
  /// The checkpoint file is malformed or does not match the model configuration.
  case malformed(path: String, detail: String)

  public var description: String {
    switch self {
    case .malformed(let path, let detail):
      return "\(path): invalid checkpoint: \(detail)"
    }
  }
}
