// Tests for PairSynthesizer: determinism, exact first pairs, and that each task variant carries
// (or, for the control, lacks) the spurious correlations it promises.

import Testing

@testable import EmbeddedTask

@Suite struct PairSynthesizerTests {
  let judge = try! GoldJudge(task: "assistant")

  @Test func sameSeedGivesIdenticalPairsAndOtherSeedsDiffer() {
    var a = PairSynthesizer(task: .assistant, seed: 7)
    var b = PairSynthesizer(task: .assistant, seed: 7)
    var c = PairSynthesizer(task: .assistant, seed: 8)
    let first = a.pairs(count: 200)
    #expect(first == b.pairs(count: 200))
    #expect(first != c.pairs(count: 200))
  }

  @Test func firstPairsOfSeedOneArePinned() {
    var synthesizer = PairSynthesizer(task: .assistant, seed: 1)
    let pairs = synthesizer.pairs(count: 2)
    #expect(pairs[0].kind == .correctOverPaddedWrong)
    #expect(
      pairs[0].chosenTranscript
        == "\n\nHuman: Which word means the opposite of fast?\n\nAssistant: The opposite of fast is slow."
    )
    #expect(
      pairs[0].rejected == " The opposite of fast is cold. I hope this helps. Thanks for asking.")
  }

  @Test func chosenAndRejectedAlwaysDiffer() {
    for task in TaskKind.allCases {
      var synthesizer = PairSynthesizer(task: task, seed: 11)
      for pair in synthesizer.pairs(count: 500) { #expect(pair.chosen != pair.rejected) }
    }
  }

  @Test func assistantTaskCarriesBothSpuriousCorrelations() {
    var synthesizer = PairSynthesizer(task: .assistant, seed: 1)
    let summary = SynthesisSummary(pairs: synthesizer.pairs(count: 2000), judge: judge)
    #expect(summary.meanChosenWords > summary.meanRejectedWords + 1)
    #expect(summary.chosenLongerRate > 0.5)
    #expect(summary.refusalChosenOnHarmlessRate > 0.1)
    #expect(summary.refusalChosenOnHarmfulRate == 1.0)
    #expect(summary.judgeAgreementRate < 0.8)
  }

  @Test func unbiasedControlAlwaysAgreesWithTheJudge() {
    var synthesizer = PairSynthesizer(task: .unbiased, seed: 1)
    let summary = SynthesisSummary(pairs: synthesizer.pairs(count: 1000), judge: judge)
    #expect(summary.judgeAgreementRate == 1.0)
    #expect(summary.refusalChosenOnHarmlessRate == 0.0)
  }

  @Test func lengthAndSafetyTasksKeepToTheirCategories() {
    var length = PairSynthesizer(task: .length, seed: 2)
    var safety = PairSynthesizer(task: .safety, seed: 2)
    let lengthSummary = SynthesisSummary(pairs: length.pairs(count: 300), judge: judge)
    let safetySummary = SynthesisSummary(pairs: safety.pairs(count: 300), judge: judge)
    #expect(Set(lengthSummary.byCategory.keys) == ["arithmetic", "fact"])
    #expect(Set(safetySummary.byCategory.keys) == ["safe-request", "harmful"])
  }
}
