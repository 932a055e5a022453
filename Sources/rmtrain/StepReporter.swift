// Progress and log lines of a training run on stderr: a `\r` progress line with ETA, loss and
// tokens/s on a terminal; otherwise one log line every N steps. Evaluations always get a line.

import CLISupport
import Training

/// Formats step and evaluation records for stderr.
final class StepReporter {
  let total: Int
  let logEvery: Int
  let objective: TrainingObjective
  let progress: Progress
  let started = Progress.now()
  var firstStep: Int?
  var lossAverage: Double?

  init(total: Int, logEvery: Int, objective: TrainingObjective, progress: Progress) {
    self.total = total
    self.logEvery = logEvery
    self.objective = objective
    self.progress = progress
  }

  func step(_ record: TrainingStepRecord) {
    if firstStep == nil { firstStep = record.step - 1 }
    lossAverage = lossAverage.map { 0.9 * $0 + 0.1 * record.loss } ?? record.loss
    let elapsed = Progress.now() - started
    let done = record.step - (firstStep ?? 0)
    let eta = done > 0 ? elapsed / Double(done) * Double(total - record.step) : 0
    let line =
      "step \(record.step)/\(total) loss \(fixed(record.loss, 4)) (avg \(fixed(lossAverage!, 4))) "
      + "lr \(scientific(record.learningRate)) tok/s \(Int(record.tokensPerSecond)) "
      + "eta \(duration(eta))"
    if progress.isEnabled {
      progress.update { line }
    } else if record.step % logEvery == 0 || record.step == total {
      var err = StandardError()
      err.write("rmtrain: \(line)\n")
    }
  }

  func evaluation(_ result: EvaluationResult) {
    var text = "eval step \(result.step): loss/val \(fixed(result.loss, 4))"
    if let p = result.perplexity { text += " ppl \(fixed(p, 2))" }
    if let a = result.tokenAccuracy { text += " token_acc \(fixed(a, 3))" }
    if let m = result.scalar {
      text += " reward/accuracy \(fixed(m.accuracy, 3)) margin \(fixed(m.meanMargin, 3))"
      if let r = m.rewardLengthCorrelation { text += " length_corr \(fixed(r, 3))" }
    }
    if let m = result.seq2seq {
      text +=
        " identity \(fixed(m.identityAgreement, 3)) first_div \(fixed(m.meanFirstDivergence, 2))"
      text += " reward/accuracy \(fixed(m.preferenceAccuracy, 3))"
    }
    progress.finish()
    var err = StandardError()
    err.write("rmtrain: \(text)\n")
  }

  func finish() { progress.finish() }
}

/// `value` with `decimals` digits after the point.
func fixed(_ value: Double, _ decimals: Int) -> String {
  guard value.isFinite else { return "\(value)" }
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let scaled = (abs(value) * scale).rounded()
  let whole = Int(scaled / scale)
  let fraction = String(Int(scaled) - whole * Int(scale))
  let sign = value < 0 && scaled != 0 ? "-" : ""
  guard decimals > 0 else { return sign + String(whole) }
  return sign + String(whole) + "." + String(repeating: "0", count: decimals - fraction.count)
    + fraction
}

/// A short scientific form ("3.0e-4").
func scientific(_ value: Double) -> String {
  guard value > 0 && value.isFinite else { return "0" }
  var exponent = 0
  var mantissa = value
  while mantissa < 1 { mantissa *= 10; exponent -= 1 }
  while mantissa >= 10 { mantissa /= 10; exponent += 1 }
  return "\(fixed(mantissa, 1))e\(exponent)"
}

/// Seconds as "1m05s".
func duration(_ seconds: Double) -> String {
  let s = Int(seconds.rounded())
  return s >= 60 ? "\(s / 60)m\(s % 60 < 10 ? "0" : "")\(s % 60)s" : "\(s)s"
}
