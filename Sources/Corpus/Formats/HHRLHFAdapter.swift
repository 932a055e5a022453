// HHRLHFAdapter.swift — Anthropic HH-RLHF (FORMATS.md §1): `{"chosen": transcript, "rejected":
// transcript}` with "\n\nHuman: " / "\n\nAssistant: " turns and no prompt field.
// Rule: prompt = the longest common prefix of the two transcripts that ends with a complete
// "\n\nAssistant:" marker (marker included); the responses are the remainders, so they keep their
// leading space (" Sure, …"). Rows diverging before the final turn get multi-turn remainders; rows
// whose first assistant turn already differs are dropped (no-common-prompt). Prefixes are compared
// as UTF-8 bytes; the cut is always right after an ASCII marker, so it never splits a character or
// a turn. Inline "Human:" without the blank line is ordinary text.

/// Splits HH-RLHF transcripts into prompt and responses.
public struct HHRLHFAdapter: RecordAdapter {
  static let marker = Array(ChatTemplate.assistantMarker.utf8)

  /// Creates the adapter.
  public init() {}

  public func matches(_ value: JSONValue) -> Bool {
    guard let chosen = value["chosen"]?.stringValue, value["rejected"]?.stringValue != nil else {
      return false
    }
    return value["prompt"] == nil && chosen.hasPrefix("\n\nHuman:")
  }

  public func convert(_ value: JSONValue) throws(RecordRejection) -> AdapterResult {
    let chosen = try value.requiredString("chosen")
    let rejected = try value.requiredString("rejected")
    guard let cut = Self.promptLength(chosen: Array(chosen.utf8), rejected: Array(rejected.utf8))
    else {
      return .dropped(.noCommonPrompt)
    }
    let c = Array(chosen.utf8)
    let r = Array(rejected.utf8)
    return .pair(
      prompt: String(decoding: c[..<cut], as: UTF8.self),
      chosen: String(decoding: c[cut...], as: UTF8.self),
      rejected: String(decoding: r[cut...], as: UTF8.self),
      meta: value.removingKeys(["chosen", "rejected"]))
  }

  /// The byte length of the prompt: the end of the last "\n\nAssistant:" lying wholly inside the
  /// common prefix of `chosen` and `rejected`, or nil when there is none.
  static func promptLength(chosen: [UInt8], rejected: [UInt8]) -> Int? {
    var common = 0
    let limit = min(chosen.count, rejected.count)
    while common < limit && chosen[common] == rejected[common] { common += 1 }
    let m = marker.count
    var end = common
    while end >= m {
      if chosen[end - m] == 0x0A && Array(chosen[(end - m)..<end]) == marker { return end }
      end -= 1
    }
    return nil
  }
}
