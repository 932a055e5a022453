// Metric names are a contract (metrics.jsonl, the curves, `rmppo report`): fixed order, optional
// metrics only when present, warnings carried, and the plotted values read back from a line.

import Corpus
import Testing

@testable import Training

@Suite struct PPOMetricsTests {
  @Test func namesInFixedOrderWithOptionalsOnlyWhenPresent() {
    var m = PPOMetrics()
    let plain = m.namedValues.map(\.0)
    #expect(plain.first == "iteration" && plain.last == "perf/update_tokens_per_s")
    #expect(!plain.contains("response/refusal_rate") && !plain.contains("reward/norm_mean"))
    m.refusalRate = 0.25
    m.firstDivergenceMean = 3
    var stats = RunningMeanStd(epsilon: 0)
    stats.update([1, 3])
    m.normalization = stats
    let names = m.namedValues.map(\.0)
    #expect(names.count == plain.count + 5)
    #expect(names[names.firstIndex(of: "response/eos_fraction")! + 1] == "response/refusal_rate")
    let values = Dictionary(uniqueKeysWithValues: m.namedValues)
    #expect(values["reward/norm_mean"] == 2 && values["reward/norm_std"] == 1)
    #expect(values["reward/norm_count"] == 2 && values["reward/first_divergence_mean"] == 3)
  }

  @Test func lineRoundTripsThePlottedValues() throws {
    var m = PPOMetrics()
    m.iteration = 12
    m.rewardMean = 1.5
    m.kl = 0.125
    m.penalizedRewardMean = 1.25
    m.responseLengthMean = 17
    m.refusalRate = 0.5
    m.entropy = 2.75
    m.valueLoss = 0.375
    m.warnings = ["mean KL has been negative"]
    let line = JSONWriter.string(m.jsonValue)
    #expect(line.hasPrefix(#"{"iteration":12,"env/reward_mean":1.5,"#))
    #expect(line.hasSuffix(#","warnings":["mean KL has been negative"]}"#))
    let back = PPOMetrics(json: try JSONParser.parse(Array(line.utf8), path: "metrics.jsonl"))
    #expect(back.iteration == 12 && back.rewardMean == 1.5 && back.kl == 0.125)
    #expect(back.penalizedRewardMean == 1.25 && back.responseLengthMean == 17)
    #expect(back.refusalRate == 0.5 && back.entropy == 2.75 && back.valueLoss == 0.375)
    #expect(PPOMetrics(json: .object([])).refusalRate == nil)
  }
}
