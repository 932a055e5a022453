// Progress on long work (STYLE.md D11): one `\r`-updated line on stderr, at most every 0.5 s, only when
// stderr is a terminal with TERM != dumb (or when forced with --progress). Ends with a newline.

#if canImport(Glibc)
import Glibc
#endif

/// A throttled single-line progress display.
///
///     let progress = Progress(enabled: Progress.shouldShow(forced: args.flag("progress")))
///     progress.update { "records \(n)" }   // closure is only evaluated when the line is drawn
///     progress.finish()
public final class Progress {
  /// Whether anything is drawn.
  public let isEnabled: Bool
  private var lastDraw: Double = 0
  private var drewSomething = false
  private var lastWidth = 0

  /// Creates a display; `enabled: false` makes every call a no-op.
  public init(enabled: Bool) { isEnabled = enabled }

  /// The default policy: draw on an interactive stderr, or when forced.
  public static func shouldShow(forced: Bool = false) -> Bool {
    forced || StandardError.isInteractive
  }

  /// Monotonic seconds.
  public static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }

  /// Redraws the line when at least 0.5 s passed since the last draw.
  public func update(_ line: () -> String) {
    guard isEnabled else { return }
    let t = Self.now()
    guard t - lastDraw >= 0.5 else { return }
    lastDraw = t
    draw(line())
  }

  private func draw(_ text: String) {
    var err = StandardError()
    let width = text.count
    let pad = lastWidth > width ? String(repeating: " ", count: lastWidth - width) : ""
    err.write("\r" + text + pad)
    lastWidth = width
    drewSomething = true
  }

  /// Ends the line (prints a newline if anything was drawn), optionally drawing a final text first.
  public func finish(_ finalLine: String? = nil) {
    guard isEnabled else { return }
    if let finalLine { draw(finalLine) }
    if drewSomething {
      var err = StandardError()
      err.write("\n")
    }
    drewSomething = false
  }
}
