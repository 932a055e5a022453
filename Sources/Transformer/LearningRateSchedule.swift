// Learning-rate schedules: linear warmup from 0 to the peak, then cosine or linear decay to a
// floor, or constant. Step numbers are 0-based (the rate for the first update is rate(at: 0)).

#if canImport(Glibc)
import Glibc
#endif

/// Warmup + decay schedule.
public struct LearningRateSchedule: Sendable, Equatable {
  /// Shape after warmup.
  public enum Decay: String, Sendable, Equatable {
    /// lr = floor + (peak − floor)·½(1 + cos(π·progress)).
    case cosine
    /// lr = peak − (peak − floor)·progress.
    case linear
    /// lr = peak.
    case constant
  }
  /// Peak learning rate (reached at the end of warmup).
  public var peak: Float
  /// Final learning rate (at `totalSteps`).
  public var floor: Float
  /// Warmup steps: lr = peak·(step + 1)/warmupSteps for step < warmupSteps.
  public var warmupSteps: Int
  /// Total number of updates.
  public var totalSteps: Int
  /// Decay shape.
  public var decay: Decay

  /// A schedule; `floor` defaults to 0.
  public init(peak: Float, floor: Float = 0, warmupSteps: Int, totalSteps: Int, decay: Decay) {
    self.peak = peak
    self.floor = floor
    self.warmupSteps = warmupSteps
    self.totalSteps = totalSteps
    self.decay = decay
  }

  /// The rate for 0-based update `step`.
  public func rate(at step: Int) -> Float {
    if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
    let span = max(1, totalSteps - warmupSteps)
    let progress = min(1, Double(step - warmupSteps) / Double(span))
    switch decay {
    case .constant: return peak
    case .linear: return peak - (peak - floor) * Float(progress)
    case .cosine: return floor + (peak - floor) * Float(0.5 * (1 + cos(Double.pi * progress)))
    }
  }
}
