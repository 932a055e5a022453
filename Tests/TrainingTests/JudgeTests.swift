// Judges for `rmppo eval`: a reward-model run scores a response by the sum of its token scores
// (seq2seq) or R(x, y) (scalar), over ragged batches; a policy summary is plain means.

import BPE
import Testing

@testable import Training

@Suite struct JudgeTests {
  static let specials = PPOTrainerTests.specials

  /// The perfect seq2seq RM writes [6, EOS]: [6, EOS] scores 2, [6, 5] scores 0 (+1 −1), [7] −1.
  @Test func seq2seqJudgeSumsTokenScores() throws {
    let judge = RewardModelJudge(
      name: "rm",
      scorer: Seq2SeqTokenScorer(
        model: PPOTrainerTests.perfectRewardModel(), specials: Self.specials,
        config: TokenRewardConfig()), maxResponseLength: 4)
    let prompts = [[TokenID]](repeating: [1, 5, 3], count: 3)
    #expect(try judge.scores(prompts: prompts, responses: [[6, 2], [6, 5], [7]]) == [2, 0, -1])
  }

  /// The counting scalar RM: +1 per 6, −0.5 per other response token, read at the last token.
  @Test func scalarJudgeReadsTheLastToken() throws {
    let judge = RewardModelJudge(
      name: "rm",
      scorer: ScalarTokenScorer(
        model: PPOTrainerTests.countingRewardModel(), pad: Self.specials.pad,
        missingEOSPenalty: 0), maxResponseLength: 5)
    let prompts: [[TokenID]] = [[1, 5, 3], [1, 5, 5, 5, 3]]
    #expect(try judge.scores(prompts: prompts, responses: [[6, 6, 2], [7]]) == [1.5, -0.5])
  }

  @Test func policySummaryMeans() {
    let summary = PolicySummary(
      lengths: [2, 4, 6], refusals: [true, false, false], scores: [1, 2, 6])
    #expect(summary.meanLength == 4 && summary.meanScore == 3)
    #expect(summary.refusalRate == 1.0 / 3)
    #expect(PolicySummary(lengths: [], refusals: [], scores: []).meanLength == 0)
  }
}
