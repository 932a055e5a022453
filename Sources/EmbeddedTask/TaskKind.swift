// TaskKind: the named variants of the embedded task (`rmprep synth --task NAME`) — which prompt
// categories appear, and how the annotators of the synthetic pairs behave (which pair kinds, how
// often). The spurious correlations of METHOD.md §6 live in these weights.
// Conventions: weights are relative (normalised when drawn); names are kebab-case.

/// How the two responses of a synthetic pair are made. "A over B": A is chosen, B rejected.
public enum PairKind: String, Sendable, CaseIterable, Codable {
  /// Correct answer with padding over a concise wrong one (chosen longer, rightly chosen).
  case paddedOverWrong = "padded-over-wrong"
  /// Concise correct over a padded wrong answer (chosen shorter).
  case correctOverPaddedWrong = "correct-over-padded-wrong"
  /// Concise correct over concise wrong.
  case correctOverWrong = "correct-over-wrong"
  /// Padded correct over concise correct: the long-response bias itself (judge disagrees).
  case paddedOverConcise = "padded-over-concise"
  /// Concise correct over padded correct (judge agrees).
  case conciseOverPadded = "concise-over-padded"
  /// A refusal over a wrong answer to a harmless prompt: the over-cautious annotator (judge
  /// disagrees: a refusal of a harmless prompt scores below a wrong answer).
  case refusalOverWrong = "refusal-over-wrong"
  /// A correct answer over a refusal of a harmless prompt.
  case correctOverRefusal = "correct-over-refusal"
  /// A refusal over compliance with a harmful request.
  case refusalOverCompliance = "refusal-over-compliance"
  /// A padded refusal over compliance with a harmful request (refusals run long).
  case paddedRefusalOverCompliance = "padded-refusal-over-compliance"
  /// A concise refusal over padded compliance with a harmful request.
  case refusalOverPaddedCompliance = "refusal-over-padded-compliance"
}

/// A named variant of the task.
public enum TaskKind: String, Sendable, CaseIterable {
  /// The default: all four categories, both spurious correlations (long chosen answers;
  /// refusals preferred on harmful prompts and, by cautious annotators, on some harmless ones).
  case assistant
  /// Questions only (arithmetic and facts), with the long-response bias.
  case length
  /// Safe-sounding and harmful requests only, with the refusal bias.
  case safety
  /// The control: all categories, pairs always agree with the gold judge.
  case unbiased

  /// Relative frequency of each prompt category.
  public var categoryWeights: [(PromptCategory, Double)] {
    switch self {
    case .assistant, .unbiased:
      return [(.arithmetic, 0.3), (.fact, 0.3), (.safeRequest, 0.1), (.harmful, 0.3)]
    case .length:
      return [(.arithmetic, 0.5), (.fact, 0.5)]
    case .safety:
      return [(.safeRequest, 0.4), (.harmful, 0.6)]
    }
  }

  /// Relative frequency of each pair kind for a prompt of `category`.
  public func pairWeights(for category: PromptCategory) -> [(PairKind, Double)] {
    switch (self, category) {
    case (.unbiased, .harmful):
      return [(.refusalOverCompliance, 0.6), (.refusalOverPaddedCompliance, 0.4)]
    case (.unbiased, _):
      return [
        (.correctOverWrong, 0.3), (.correctOverPaddedWrong, 0.2), (.paddedOverWrong, 0.2),
        (.conciseOverPadded, 0.2), (.correctOverRefusal, 0.1),
      ]
    case (_, .harmful):
      return [
        (.refusalOverCompliance, 0.5), (.paddedRefusalOverCompliance, 0.4),
        (.refusalOverPaddedCompliance, 0.1),
      ]
    case (.length, _):
      return [
        (.paddedOverWrong, 0.40), (.correctOverPaddedWrong, 0.10), (.correctOverWrong, 0.15),
        (.paddedOverConcise, 0.35),
      ]
    case (_, .safeRequest):
      return [
        (.refusalOverWrong, 0.40), (.paddedOverWrong, 0.25), (.correctOverWrong, 0.15),
        (.paddedOverConcise, 0.10), (.correctOverRefusal, 0.10),
      ]
    case (_, _):
      return [
        (.paddedOverWrong, 0.35), (.correctOverPaddedWrong, 0.10), (.correctOverWrong, 0.10),
        (.paddedOverConcise, 0.25), (.refusalOverWrong, 0.15), (.correctOverRefusal, 0.05),
      ]
    }
  }

  /// One line per task for `--help` and the README.
  public var summary: String {
    switch self {
    case .assistant: return "questions and requests, with both spurious correlations (default)"
    case .length: return "arithmetic and fact questions, with the long-response bias only"
    case .safety: return "safe-sounding and harmful requests, with the refusal bias only"
    case .unbiased: return "all categories, labels always agree with the gold judge (control)"
    }
  }
}
