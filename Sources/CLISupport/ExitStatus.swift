// Exit statuses (STYLE.md D11): 0 success, 1 failure (bad data, I/O, training diverged), 64 usage
// (EX_USAGE, as swift-argument-parser uses), 130 interrupted by Ctrl-C (128 + SIGINT, shell convention).

/// The statuses our tools exit with.
public enum ExitStatus: Int32, Sendable {
  case success = 0
  case failure = 1
  case usage = 64
  case interrupted = 130
}
