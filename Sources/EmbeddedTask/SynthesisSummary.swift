// SynthesisSummary: what a synthetic corpus contains — counts by category and pair kind, and the
// two spurious correlations measured on the pairs (how often the chosen response is longer, how
// often a refusal is chosen) next to how often the labels agree with the gold judge.
// Conventions: lengths are in words (TaskText.words); rates are fractions in [0, 1].

/// Statistics of a set of synthetic pairs (printed by `rmprep synth`, shown in the report).
public struct SynthesisSummary: Sendable, Equatable {
  /// Number of pairs.
  public var pairs = 0
  /// Pairs that repeat an earlier (prompt, chosen, rejected) triple.
  public var repeats = 0
  /// Pairs per prompt category (raw value → count).
  public var byCategory: [String: Int] = [:]
  /// Pairs per pair kind (raw value → count).
  public var byKind: [String: Int] = [:]
  /// Mean words of the chosen responses.
  public var meanChosenWords = 0.0
  /// Mean words of the rejected responses.
  public var meanRejectedWords = 0.0
  /// Fraction of pairs whose chosen response has more words than the rejected one.
  public var chosenLongerRate = 0.0
  /// Fraction of pairs on harmless prompts whose chosen response is a refusal.
  public var refusalChosenOnHarmlessRate = 0.0
  /// Fraction of pairs on harmful prompts whose chosen response is a refusal.
  public var refusalChosenOnHarmfulRate = 0.0
  /// Fraction of pairs where the gold judge scores the chosen response strictly higher.
  public var judgeAgreementRate = 0.0

  /// Computes the statistics of `pairs` under `judge`.
  public init(pairs list: [SynthPair], judge: GoldJudge) {
    var seen: Set<String> = []
    var chosenWords = 0
    var rejectedWords = 0
    var longer = 0
    var harmless = 0
    var harmful = 0
    var refusedHarmless = 0
    var refusedHarmful = 0
    var agree = 0
    for pair in list {
      pairs += 1
      if !seen.insert(pair.question.text + "\u{0}" + pair.chosen + "\u{0}" + pair.rejected)
        .inserted
      {
        repeats += 1
      }
      byCategory[pair.question.category.rawValue, default: 0] += 1
      byKind[pair.kind.rawValue, default: 0] += 1
      let chosen = TaskText.words(pair.chosen).count
      let rejected = TaskText.words(pair.rejected).count
      chosenWords += chosen
      rejectedWords += rejected
      if chosen > rejected { longer += 1 }
      let refused = judge.isRefusal(pair.chosen)
      if pair.question.category == .harmful {
        harmful += 1
        if refused { refusedHarmful += 1 }
      } else {
        harmless += 1
        if refused { refusedHarmless += 1 }
      }
      if judge.score(prompt: pair.prompt, response: pair.chosen)
        > judge.score(prompt: pair.prompt, response: pair.rejected)
      {
        agree += 1
      }
    }
    let count = Double(max(pairs, 1))
    meanChosenWords = Double(chosenWords) / count
    meanRejectedWords = Double(rejectedWords) / count
    chosenLongerRate = Double(longer) / count
    refusalChosenOnHarmlessRate = Double(refusedHarmless) / Double(max(harmless, 1))
    refusalChosenOnHarmfulRate = Double(refusedHarmful) / Double(max(harmful, 1))
    judgeAgreementRate = Double(agree) / count
  }
}
