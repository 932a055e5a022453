// Learning-rate schedule of rmtrain (METHOD.md §1.5, framework default): linear warm-up over the
// first `warmupFraction` of the steps, then cosine decay from the peak to peak × minRatio.

#if canImport(Glibc)
import Glibc
#endif

/// Warm-up then cosine decay, as a pure function of the step.
public struct LearningRateSchedule: Sendable, Equatable {
  /// Peak learning rate.
  public var peak: Double
  /// Steps of linear warm-up (at least 0).
  public var warmupSteps: Int
  /// Total optimizer steps of the run.
  public var totalSteps: Int
  /// Final rate as a fraction of the peak.
  public var minRatio: Double

  /// Creates a schedule; warm-up is ⌈warmupFraction · totalSteps⌉ steps.
  public init(peak: Double, warmupFraction: Double, totalSteps: Int, minRatio: Double) {
    self.peak = peak
    self.totalSteps = max(totalSteps, 1)
    self.warmupSteps = Int((warmupFraction * Double(totalSteps)).rounded(.up))
    self.minRatio = minRatio
  }

  /// The rate used at 0-based `step`.
  public func rate(step: Int) -> Double {
    if step < warmupSteps { return peak * Double(step + 1) / Double(warmupSteps) }
    let decaySteps = max(totalSteps - warmupSteps, 1)
    let progress = min(Double(step - warmupSteps) / Double(decaySteps), 1)
    let cosine = 0.5 * (1 + cos(Double.pi * progress))
    return peak * (minRatio + (1 - minRatio) * cosine)
  }
}
