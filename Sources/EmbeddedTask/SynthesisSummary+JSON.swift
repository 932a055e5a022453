// SynthesisSummary+JSON: the summary and the hh-rlhf record lines as JSON, for `rmprep synth`
// (`--stats FILE`) and the report. Conventions: keys in a fixed order, snake_case, rates as
// fractions; the record line has exactly the two keys of an hh-rlhf record.

import Corpus

extension SynthesisSummary {
  /// The summary as a JSON object (`Schemas/synth-stats.schema.json`).
  public func json(task: TaskKind, seed: UInt64) -> JSONValue {
    func counts(_ table: [String: Int]) -> JSONValue {
      .object(table.keys.sorted().map { (key: $0, value: .int(table[$0]!)) })
    }
    return .object([
      (key: "task", value: .string(task.rawValue)),
      (key: "seed", value: .number(String(seed))),
      (key: "pairs", value: .int(pairs)),
      (key: "repeats", value: .int(repeats)),
      (key: "by_category", value: counts(byCategory)),
      (key: "by_kind", value: counts(byKind)),
      (key: "mean_chosen_words", value: .double(meanChosenWords)),
      (key: "mean_rejected_words", value: .double(meanRejectedWords)),
      (key: "chosen_longer_rate", value: .double(chosenLongerRate)),
      (key: "refusal_chosen_on_harmless_rate", value: .double(refusalChosenOnHarmlessRate)),
      (key: "refusal_chosen_on_harmful_rate", value: .double(refusalChosenOnHarmfulRate)),
      (key: "judge_agreement_rate", value: .double(judgeAgreementRate)),
    ])
  }
}

extension SynthPair {
  /// The hh-rlhf record: `{"chosen":"\n\nHuman: …\n\nAssistant: …","rejected":"…"}`.
  public var hhRLHFRecord: JSONValue {
    .object([
      (key: "chosen", value: .string(chosenTranscript)),
      (key: "rejected", value: .string(rejectedTranscript)),
    ])
  }
}
