// The PPO maths against the NumPy reference (scripts/ppo_reference.py): inputs and the values
// NumPy computes from them are stored in Fixtures/ppo/math-reference.json; scripts/test.d checks
// the stored values against NumPy, this test checks the Swift code against the stored values.
// Inputs hold random garbage at masked positions, so K21 is exercised here too.

import Foundation
import Testing

@testable import Training

@Suite struct NumPyReferenceTests {
  let inputs: [String: Any]
  let expected: [String: Any]

  init() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/ppo/math-reference.json")
    let document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    inputs = document["inputs"] as! [String: Any]
    expected = document["expected"] as! [String: Any]
  }

  func floats(_ section: [String: Any], _ key: String) -> [Float] {
    (section[key] as! [NSNumber]).map { $0.floatValue }
  }
  func number(_ section: [String: Any], _ key: String) -> Double {
    (section[key] as! NSNumber).doubleValue
  }
  func section(_ dictionary: [String: Any], _ key: String) -> [String: Any] {
    dictionary[key] as! [String: Any]
  }
  func expectClose(_ a: [Float], _ b: [Float], _ what: String, tolerance: Float = 1e-5) {
    #expect(a.count == b.count, "\(what): count")
    for i in 0..<min(a.count, b.count) {
      #expect(
        abs(a[i] - b[i]) <= tolerance * max(1, abs(b[i])), "\(what)[\(i)]: \(a[i]) vs \(b[i])")
    }
  }

  @Test func gae() {
    let inp = section(inputs, "gae")
    let out = generalizedAdvantageEstimates(
      rewards: floats(inp, "rewards"), values: floats(inp, "values"), mask: floats(inp, "mask"),
      width: Int(number(inp, "width")), gamma: Float(number(inp, "gamma")),
      lambda: Float(number(inp, "lambda")))
    let exp = section(expected, "gae")
    expectClose(out.advantages, floats(exp, "advantages"), "advantages")
    expectClose(out.returns, floats(exp, "returns"), "returns")
  }

  @Test func policyLoss() {
    let inp = section(inputs, "policy_loss")
    var grad: [Float] = []
    let out = clippedPolicyLoss(
      newLogProbs: floats(inp, "new_logprobs"), oldLogProbs: floats(inp, "old_logprobs"),
      advantages: floats(inp, "advantages"), mask: floats(inp, "mask"),
      clipRange: Float(number(inp, "clip_range")), dNewLogProbs: &grad)
    let exp = section(expected, "policy_loss")
    expectClose(
      [out.loss, out.clipFraction, out.approximateKL],
      [
        Float(number(exp, "loss")), Float(number(exp, "clip_fraction")),
        Float(number(exp, "approx_kl")),
      ], "loss, clipfrac, approx_kl")
    expectClose(grad, floats(exp, "grad"), "grad")
  }

  @Test func valueLoss() {
    let inp = section(inputs, "value_loss")
    var grad: [Float] = []
    let out = clippedValueLoss(
      values: floats(inp, "values"), oldValues: floats(inp, "old_values"),
      returns: floats(inp, "returns"), mask: floats(inp, "mask"),
      clipRange: Float(number(inp, "clip_range")), dValues: &grad)
    let exp = section(expected, "value_loss")
    expectClose(
      [out.loss, out.clipFraction],
      [Float(number(exp, "loss")), Float(number(exp, "clip_fraction"))], "loss, clipfrac")
    expectClose(grad, floats(exp, "grad"), "grad")
  }

  @Test func klPenalty() {
    let inp = section(inputs, "kl_penalty")
    let out = penalizedRewards(
      scores: floats(inp, "scores"), logProbs: floats(inp, "logprobs"),
      referenceLogProbs: floats(inp, "ref_logprobs"), mask: floats(inp, "mask"),
      klCoefficient: Float(number(inp, "kl_coef")), rewardClip: Float(number(inp, "reward_clip")))
    let exp = section(expected, "kl_penalty")
    expectClose(out.rewards, floats(exp, "rewards"), "rewards")
    expectClose(out.kl, floats(exp, "kl"), "kl")
  }

  @Test func runningStatistics() {
    let batches = (section(inputs, "running_stats")["batches"] as! [[NSNumber]])
      .map { $0.map { $0.floatValue } }
    var stats = RunningMeanStd()
    for batch in batches { stats.update(batch) }
    let exp = section(expected, "running_stats")
    #expect(abs(stats.mean - number(exp, "mean")) < 1e-9)
    #expect(abs(stats.variance - number(exp, "variance")) < 1e-9)
    #expect(abs(stats.count - number(exp, "count")) < 1e-9)
  }

  @Test func whitening() {
    let inp = section(inputs, "whiten")
    let out = maskedWhiten(floats(inp, "x"), mask: floats(inp, "mask"))
    expectClose(out, floats(section(expected, "whiten"), "out"), "whitened")
  }

  @Test func logProbabilityAndEntropy() {
    let inp = section(inputs, "logprob_entropy")
    let vocabulary = Int(number(inp, "vocab"))
    let temperature = Float(number(inp, "temperature"))
    let logits = floats(inp, "logits")
    let tokens = (inp["tokens"] as! [NSNumber]).map { $0.intValue }
    var logProbs: [Float] = []
    var entropies: [Float] = []
    logits.withUnsafeBufferPointer { all in
      for (row, token) in tokens.enumerated() {
        let z = UnsafeBufferPointer(rebasing: all[(row * vocabulary)..<((row + 1) * vocabulary)])
        logProbs.append(tokenLogProbability(token, logits: z, temperature: temperature))
        entropies.append(tokenEntropy(logits: z, temperature: temperature))
      }
    }
    let exp = section(expected, "logprob_entropy")
    expectClose(logProbs, floats(exp, "logprobs"), "logprobs")
    expectClose(entropies, floats(exp, "entropy"), "entropy")
  }
}
