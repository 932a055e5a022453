// SHPAdapter.swift — Stanford Human Preferences (FORMATS.md §4): `history` is the prompt;
// `labels` = 1 means `human_ref_A` is preferred, 0 means `human_ref_B`. Scores, ids, domain and the
// other fields stay in `meta`. Texts are kept exactly (JSON-escaped slashes decode normally).

/// Reads SHP records.
public struct SHPAdapter: RecordAdapter {
  /// Creates the adapter.
  public init() {}

  public func matches(_ value: JSONValue) -> Bool {
    value.hasKeys("history", "human_ref_A", "human_ref_B", "labels")
  }

  public func convert(_ value: JSONValue) throws(RecordRejection) -> AdapterResult {
    let history = try value.requiredString("history")
    let a = try value.requiredString("human_ref_A")
    let b = try value.requiredString("human_ref_B")
    let label = try value.requiredIndex("labels")
    return .pair(
      prompt: history, chosen: label == 1 ? a : b, rejected: label == 1 ? b : a,
      meta: value.removingKeys(["history", "human_ref_A", "human_ref_B"]))
  }
}
