// Errors of the embedded synthetic alignment task.

/// An error raised by the embedded task generator or judge.
public enum TaskError: Error, Equatable, CustomStringConvertible {
  /// The task name is not one we ship.
  case unknownTask(name: String, known: [String])

  public var description: String {
    switch self {
    case .unknownTask(let name, let known):
      return "unknown task '\(name)': expected one of \(known.joined(separator: ", "))"
    }
  }
}
