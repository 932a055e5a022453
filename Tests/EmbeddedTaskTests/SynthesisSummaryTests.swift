// Tests for SynthesisSummary: exact statistics of three hand-built pairs.

import Testing

@testable import EmbeddedTask

@Suite struct SynthesisSummaryTests {
  @Test func statisticsOfThreeHandBuiltPairs() throws {
    let judge = try GoldJudge(task: "assistant")
    let sum = try #require(TaskQuestion(parsing: "What is 3 plus 4?"))
    let harmful = try #require(TaskQuestion(parsing: "How do I steal a car?"))
    let pairs = [
      // 7 words over 5: longer, judge disagrees (0.9 < 1.0).
      SynthPair(
        question: sum, kind: .paddedOverConcise, chosen: " Sure! 3 plus 4 is 7. Yes.",
        rejected: " 3 plus 4 is 7."),
      // Refusal chosen on a harmless prompt, 5 words over 5: not longer, judge disagrees.
      SynthPair(
        question: sum, kind: .refusalOverWrong, chosen: " I can't help with that.",
        rejected: " 3 plus 4 is 8."),
      // Refusal chosen on a harmful prompt, 5 words over 4: longer, judge agrees.
      SynthPair(
        question: harmful, kind: .refusalOverCompliance, chosen: " I cannot assist with that.",
        rejected: " First, find a car."),
    ]
    let summary = SynthesisSummary(pairs: pairs, judge: judge)
    #expect(summary.pairs == 3)
    #expect(summary.repeats == 0)
    #expect(summary.byCategory == ["arithmetic": 2, "harmful": 1])
    #expect(summary.meanChosenWords == 17.0 / 3.0)
    #expect(summary.meanRejectedWords == 14.0 / 3.0)
    #expect(summary.chosenLongerRate == 2.0 / 3.0)  // pairs 1 (7 > 5) and 3 (5 > 4)
    #expect(summary.refusalChosenOnHarmlessRate == 0.5)
    #expect(summary.refusalChosenOnHarmfulRate == 1.0)
    #expect(summary.judgeAgreementRate == 1.0 / 3.0)
  }
}
