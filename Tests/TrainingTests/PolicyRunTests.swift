// Combining runs: a policy refuses a partner (reward model, prompts, judge, tokenizer copy) made
// with another tokenizer or other special ids, naming both sides and the remedy; the special ids
// round-trip through the run's JSON block in a fixed order.

import BPE
import Corpus
import Testing
import Transformer

@testable import Training

@Suite struct PolicyRunTests {
  static let specials = SpecialTokenIDs(pad: 0, bos: 1, eos: 2, sepResp: 3, sepCorr: 4)

  static func run() -> PolicyRun {
    PolicyRun(
      path: "runs/sft",
      model: GPTModel(
        config: ModelConfig(
          vocabularySize: 8, contextLength: 8, layerCount: 1, headCount: 1, channelCount: 4),
        seed: 1), kind: "sft", specials: specials, tokenizerSHA256: "aa", configSHA256: "c",
      modelSHA256: "m")
  }

  @Test func partnersMustShareTokenizerAndSpecialIDs() throws {
    let run = Self.run()
    try run.requireCompatible(
      with: "the prompts p", tokenizerSHA256: "aa", specials: Self.specials)
    #expect(
      throws: TrainingError.incompatible(
        what: "tokenizer sha256 of runs/sft and the prompts p (use one tokenizer.json for every "
          + "stage)", expected: "aa", found: "bb")
    ) {
      try run.requireCompatible(
        with: "the prompts p", tokenizerSHA256: "bb", specials: Self.specials)
    }
    var moved = Self.specials
    moved.sepCorr = 9
    #expect(
      throws: TrainingError.incompatible(
        what: "special token ids of runs/sft and the reward model r", expected: "[0, 1, 2, 3, 4]",
        found: "[0, 1, 2, 3, 9]")
    ) {
      try run.requireCompatible(with: "the reward model r", tokenizerSHA256: "aa", specials: moved)
    }
  }

  /// Only sft and PPO runs are policies; a reward-model run as --policy or --against is refused,
  /// naming the flag, the run and the commands that make a policy.
  @Test func policyFlagsRefuseRewardModelRuns() throws {
    try Self.run().requireKind(PolicyRun.policyKinds, flag: "policy")
    let reward = PolicyRun(
      path: "runs/rm-scalar", model: Self.run().model, kind: "scalar", specials: Self.specials,
      tokenizerSHA256: "aa", configSHA256: "c", modelSHA256: "m")
    try reward.requireKind(PolicyRun.rewardKinds, flag: "reward")
    #expect(
      throws: TrainingError.incompatible(
        what: "kind of the --against run runs/rm-scalar",
        expected: "sft or ppo (a run of rmtrain sft or rmppo train)", found: "scalar")
    ) { try reward.requireKind(PolicyRun.policyKinds, flag: "against") }
    #expect(
      throws: TrainingError.incompatible(
        what: "kind of the --reward run runs/sft",
        expected: "seq2seq or scalar (a run of rmtrain seq2seq or rmtrain scalar)", found: "sft")
    ) { try Self.run().requireKind(PolicyRun.rewardKinds, flag: "reward") }
  }

  @Test func specialIDsRoundTripThroughJSON() {
    let json = PolicyRun.specialsJSON(Self.specials)
    #expect(PolicyRun.specials(json: json) == Self.specials)
    #expect(PolicyRun.specials(json: .object([(key: "pad", value: .int(0))])) == nil)
  }
}
