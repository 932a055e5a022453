// The `meta` object of a Stack Exchange pair: attribution (the text is CC BY-SA: site, post ids,
// per-post ContentLicense, owner user id and display name when present) and the scores that
// decided the pair. Absent attributes are left out, never written as null. Key order is fixed.

/// Builds the `meta` object of a Stack Exchange pair.
enum StackExchangeMeta {
  /// - Parameters:
  ///   - question: decoded blob fields of the question: [prompt, license, owner id, owner name,
  ///     tags, title].
  ///   - chosen, rejected: the ranked answer and its blob fields [body, license, owner id, owner name, tags].
  static func make(
    site: String, questionId: Int, acceptedAnswerId: Int?, question: [String?],
    chosen: (RankedAnswer, [String?]), rejected: (RankedAnswer, [String?])
  ) -> JSONValue {
    var members: [(key: String, value: JSONValue)] = [
      (key: "site", value: .string(site)),
      (key: "question_id", value: .int(questionId)),
      (key: "chosen_id", value: .int(chosen.0.id)),
      (key: "rejected_id", value: .int(rejected.0.id)),
      (key: "chosen_score", value: .int(chosen.0.score)),
      (key: "rejected_score", value: .int(rejected.0.score)),
      (key: "chosen_pm_score", value: .int(chosen.0.pmScore)),
      (key: "rejected_pm_score", value: .int(rejected.0.pmScore)),
    ]
    if let acceptedAnswerId {
      members.append((key: "accepted_answer_id", value: .int(acceptedAnswerId)))
    }
    if let tags = field(question, 4) {
      members.append(
        (key: "tags", value: .array(tags.split(separator: "|").map { .string(String($0)) })))
    }
    members.append(
      (
        key: "license",
        value: .object(
          [
            (key: "question", value: field(question, 1).map(JSONValue.string) ?? .null),
            (key: "chosen", value: field(chosen.1, 1).map(JSONValue.string) ?? .null),
            (key: "rejected", value: field(rejected.1, 1).map(JSONValue.string) ?? .null),
          ].filter { !$0.value.isNull })
      ))
    members.append(
      (
        key: "authors",
        value: .object(
          [
            (key: "question", value: owner(question)),
            (key: "chosen", value: owner(chosen.1)),
            (key: "rejected", value: owner(rejected.1)),
          ].filter { $0.value.objectValue?.isEmpty == false })
      ))
    return .object(members)
  }

  static func field(_ fields: [String?], _ index: Int) -> String? {
    index < fields.count ? fields[index] : nil
  }

  /// `{"user_id": "14", "display_name": "…"}` with only what the row had.
  static func owner(_ fields: [String?]) -> JSONValue {
    var members: [(key: String, value: JSONValue)] = []
    if let id = field(fields, 2), let number = Int(id) {
      members.append((key: "user_id", value: .int(number)))
    }
    if let name = field(fields, 3) { members.append((key: "display_name", value: .string(name))) }
    return .object(members)
  }
}
