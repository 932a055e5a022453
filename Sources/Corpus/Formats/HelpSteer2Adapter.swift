// HelpSteer2Adapter.swift — nvidia HelpSteer2 preference file (`preference/preference.jsonl.gz`,
// FORMATS.md §6): `prompt`, `response_1`, `response_2`, `preference_strength` (−3…3; negative means
// response_1 is better, 0 is a tie → dropped as tied-preference). NeMo `<extra_id_1>` markers in
// multi-turn prompts are kept as written. The other fields stay in `meta`.

/// Reads HelpSteer2 preference records.
public struct HelpSteer2Adapter: RecordAdapter {
  /// Creates the adapter.
  public init() {}

  public func matches(_ value: JSONValue) -> Bool {
    value.hasKeys("prompt", "response_1", "response_2", "preference_strength")
  }

  public func convert(_ value: JSONValue) throws(RecordRejection) -> AdapterResult {
    let prompt = try value.requiredString("prompt")
    let first = try value.requiredString("response_1")
    let second = try value.requiredString("response_2")
    let strength = try value.requiredInt("preference_strength")
    guard (-3...3).contains(strength) else {
      throw RecordRejection(
        .invalidValue, "field 'preference_strength' is \(strength), expected -3…3")
    }
    if strength == 0 { return .dropped(.tiedPreference) }
    return .pair(
      prompt: prompt, chosen: strength < 0 ? first : second,
      rejected: strength < 0 ? second : first,
      meta: value.removingKeys(["prompt", "response_1", "response_2"]))
  }
}
