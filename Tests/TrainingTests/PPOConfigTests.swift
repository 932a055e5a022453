// The PPO knobs: METHOD.md §4/§7.2 defaults, the actor's warmup + cosine schedule on hand-worked
// steps, and the config.json block read back exactly (a missing key is an error naming it).

import Corpus
import Foundation
import Testing

@testable import Training

@Suite struct PPOConfigTests {
  @Test func defaultsAreMethodDefaults() {
    let c = PPOConfig()
    #expect(c.klCoefficient == 0.02 && c.rewardClip == 50 && c.gamma == 1 && c.gaeLambda == 0.95)
    #expect(c.clipRange == 0.2 && c.valueClipRange == 5 && c.ppoEpochs == 1)
    #expect(c.actorLearningRate == 1e-4 && c.criticLearningRate == 5e-5 && c.warmupFraction == 0.03)
    #expect(c.gradientClip == 1 && c.rolloutBatchSize == 64 && c.temperature == 1)
    #expect(!c.whitenAdvantages && !c.normalizeRewards && c.entropyCoefficient == 0)
    #expect(c.missingEOSPenalty == 0)
  }

  /// 10 iterations × 1 epoch × 64/16 minibatches = 40 steps; warmup ceil(40·0.03) = 2 steps:
  /// step 0 → lr/2, step 1 → lr, then cosine over the 38 remaining steps down to step 39.
  @Test func actorScheduleWarmsUpThenDecays() {
    var c = PPOConfig()
    c.iterations = 10
    #expect(c.totalUpdateSteps == 40)
    let lr = c.actorLearningRate
    #expect(c.actorLearningRate(atStep: 0) == lr / 2)
    #expect(c.actorLearningRate(atStep: 1) == lr)
    #expect(c.actorLearningRate(atStep: 2) == lr)
    let halfway = c.actorLearningRate(atStep: 21)  // progress 19/38 = 0.5
    #expect(abs(halfway - lr / 2) < 1e-9)
    let last = c.actorLearningRate(atStep: 39)
    #expect(abs(Double(last) - Double(lr) * 0.5 * (1 + cos(Double.pi * 37 / 38))) < 1e-9)
  }

  @Test func jsonRoundTripAndMissingKey() throws {
    var c = PPOConfig()
    c.iterations = 7
    c.klCoefficient = 0.05
    c.whitenAdvantages = true
    c.seed = UInt64.max
    let back = try PPOConfig(json: c.jsonValue, source: "config.json")
    #expect(back == c)
    guard case .object(var members) = c.jsonValue else { return }
    members.removeAll { $0.key == "gae_lambda" }
    #expect(
      throws: TrainingError.invalidConfig(
        source: "config.json", key: "gae_lambda", detail: "missing or not a number")
    ) { try PPOConfig(json: .object(members), source: "config.json") }
  }
}
