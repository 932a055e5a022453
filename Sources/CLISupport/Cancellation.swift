// Ctrl-C handling (DESIGN.md "Signals and disks"). The first SIGINT only sets a flag that long-running
// work polls (training checkpoints, converters discard temp files) and then ends with exit 130; a
// second SIGINT exits at once. SIGPIPE is ignored so a closed pipe shows up as EPIPE on write, which
// the tools turn into a quiet exit.

import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The process-wide cancellation flag set by Ctrl-C.
public enum Cancellation {
  private static let requested = Atomic<Bool>(false)

  /// True once Ctrl-C was pressed (or `request()` was called).
  public static var isRequested: Bool { requested.load(ordering: .relaxed) }

  /// Sets the flag (also used by tests).
  public static func request() { requested.store(true, ordering: .relaxed) }

  /// Throws `Interrupted` when the flag is set; call it at safe points in long loops.
  public static func check() throws {
    if isRequested { throw Interrupted() }
  }

  /// Installs the SIGINT and SIGPIPE handling described above. Called by `runTool`.
  /// SIGINT is also unblocked: a parent may start us with it blocked (Foundation's `Process` does,
  /// inheriting its thread's mask), and Ctrl-C must still reach the handler.
  public static func install() {
    signal(SIGPIPE, SIG_IGN)
    var interrupt = sigset_t()
    sigemptyset(&interrupt)
    sigaddset(&interrupt, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
    signal(SIGINT) { _ in
      if Cancellation.requested.exchange(true, ordering: .relaxed) {
        _exit(ExitStatus.interrupted.rawValue)
      }
    }
  }
}

/// Thrown by `Cancellation.check()`; `runTool` turns it into exit status 130 and one line
/// `tool: interrupted` (followed by `detail`, such as how to resume, when given).
public struct Interrupted: Error {
  /// Appended to "interrupted" (e.g. " after step 40; continue with --resume -o run").
  public let detail: String
  /// Creates the error.
  public init(detail: String = "") { self.detail = detail }
}
