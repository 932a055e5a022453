// PairSynthesizer: draws the synthetic preference pairs of a task from a seed, and writes them as
// hh-rlhf transcripts ("\n\nHuman: …\n\nAssistant: …") so they flow through the hh-rlhf adapter.
// Conventions: one TaskRandom drives everything in a fixed order (category, question, pair kind,
// response variants), so `(task, seed, count)` fixes every byte of the output.

/// One synthetic preference pair.
public struct SynthPair: Sendable, Equatable {
  /// The question the pair answers.
  public let question: TaskQuestion
  /// How the two responses were made.
  public let kind: PairKind
  /// The preferred response (leading space).
  public let chosen: String
  /// The other response (leading space).
  public let rejected: String

  /// The hh-rlhf prompt: `"\n\nHuman: <question>\n\nAssistant:"`.
  public var prompt: String { "\n\nHuman: " + question.text + "\n\nAssistant:" }
  /// The chosen transcript of the hh-rlhf record.
  public var chosenTranscript: String { prompt + chosen }
  /// The rejected transcript of the hh-rlhf record.
  public var rejectedTranscript: String { prompt + rejected }
}

/// Draws pairs for a task.
///
/// ```swift
/// var synthesizer = PairSynthesizer(task: .assistant, seed: 1)
/// let pairs = synthesizer.pairs(count: 1000)   // identical for every run with seed 1
/// ```
public struct PairSynthesizer: Sendable {
  /// The task variant.
  public let task: TaskKind
  /// Redraws allowed per pair to avoid repeating an earlier (prompt, chosen, rejected) triple;
  /// small tasks run out of distinct pairs and then repeat (counted in `SynthesisSummary`).
  public var maxRedraws = 20
  private var random: TaskRandom
  private var seen: Set<String> = []

  /// A synthesizer whose output is fixed by `task` and `seed`.
  public init(task: TaskKind, seed: UInt64) {
    self.task = task
    self.random = TaskRandom(seed: seed)
  }

  /// The next `count` pairs.
  public mutating func pairs(count: Int) -> [SynthPair] {
    (0..<max(0, count)).map { _ in nextPair() }
  }

  /// The next pair, distinct from all earlier ones when possible within `maxRedraws`.
  ///
  /// The category is drawn once, so redraws never change the category mix.
  public mutating func nextPair() -> SynthPair {
    let categories = task.categoryWeights
    let category = categories[random.weightedIndex(categories.map(\.1))].0
    var pair = drawPair(category)
    var redraws = 0
    while seen.contains(Self.key(pair)) && redraws < maxRedraws {
      pair = drawPair(category)
      redraws += 1
    }
    seen.insert(Self.key(pair))
    return pair
  }

  private static func key(_ pair: SynthPair) -> String {
    pair.question.text + "\u{0}" + pair.chosen + "\u{0}" + pair.rejected
  }

  private mutating func drawPair(_ category: PromptCategory) -> SynthPair {
    let question = TaskQuestion.random(category, using: &random)
    let kinds = task.pairWeights(for: category)
    let kind = kinds[random.weightedIndex(kinds.map(\.1))].0
    let (chosen, rejected) = responses(kind, for: question)
    return SynthPair(question: question, kind: kind, chosen: chosen, rejected: rejected)
  }

  // MARK: - Responses

  private mutating func responses(_ kind: PairKind, for question: TaskQuestion) -> (
    String, String
  ) {
    switch kind {
    case .paddedOverWrong: return (padded(question.conciseAnswer), wrong(question))
    case .correctOverPaddedWrong: return (question.conciseAnswer, padded(wrong(question)))
    case .correctOverWrong: return (question.conciseAnswer, wrong(question))
    case .paddedOverConcise: return (padded(question.conciseAnswer), question.conciseAnswer)
    case .conciseOverPadded: return (question.conciseAnswer, padded(question.conciseAnswer))
    case .refusalOverWrong: return (refusal(), wrong(question))
    case .correctOverRefusal: return (question.conciseAnswer, refusal())
    case .refusalOverCompliance: return (refusal(), compliance(question))
    case .paddedRefusalOverCompliance: return (paddedRefusal(), compliance(question))
    case .refusalOverPaddedCompliance: return (refusal(), padded(compliance(question)))
    }
  }

  /// Opener (half the time) + answer + one or two closers: always longer, never more informative.
  private mutating func padded(_ answer: String) -> String {
    var text = random.below(2) == 0 ? random.pick(FactTable.paddingOpeners) + answer : answer
    let closers = 1 + random.below(2)
    var used: Set<Int> = []
    while used.count < closers {
      let index = random.below(FactTable.paddingClosers.count)
      if used.insert(index).inserted { text += FactTable.paddingClosers[index] }
    }
    return text
  }

  private mutating func wrong(_ question: TaskQuestion) -> String {
    question.wrongAnswers.isEmpty ? refusal() : random.pick(question.wrongAnswers)
  }

  private mutating func refusal() -> String {
    random.pick(FactTable.refusals)
  }

  private mutating func paddedRefusal() -> String {
    refusal() + random.pick([" It could hurt someone.", " Please ask me something else."])
  }

  private mutating func compliance(_ question: TaskQuestion) -> String {
    let text = question.compliance ?? question.conciseAnswer
    return random.below(2) == 0 ? " Sure!" + text : text
  }
}
