// TRLAdapter.swift — TRL preference datasets (FORMATS.md §8), both types:
//  * standard: `prompt`/`chosen`/`rejected` strings; with no `prompt` (implicit prompt) the prompt is
//    the common prefix of chosen and rejected cut back to the last space or newline, so the responses
//    keep their leading space ("The sky is" + " blue." / " green.");
//  * conversational: message lists, rendered with ChatTemplate; an implicit prompt is the longest
//    common message prefix (TRL `maybe_extract_prompt`).
// Other fields (scores, ids) go to `meta`.

/// Reads TRL standard and conversational preference records.
public struct TRLAdapter: RecordAdapter {
  /// Creates the adapter.
  public init() {}

  public func matches(_ value: JSONValue) -> Bool { value.hasKeys("chosen", "rejected") }

  public func convert(_ value: JSONValue) throws(RecordRejection) -> AdapterResult {
    guard let chosen = value["chosen"], !chosen.isNull else { throw .missing("chosen") }
    guard let rejected = value["rejected"], !rejected.isNull else { throw .missing("rejected") }
    let meta = value.removingKeys(["prompt", "chosen", "rejected"])
    let prompt = value["prompt"].flatMap { $0.isNull ? nil : $0 }
    switch (chosen, rejected) {
    case (.string(let c), .string(let r)):
      if let prompt {
        guard let p = prompt.stringValue else { throw .wrongType("prompt", expected: "a string") }
        return .pair(prompt: p, chosen: c, rejected: r, meta: meta)
      }
      return Self.splitImplicit(chosen: c, rejected: r, meta: meta)
    case (.array, .array):
      let c = try ChatTemplate.messages(chosen, field: "chosen")
      let r = try ChatTemplate.messages(rejected, field: "rejected")
      if let prompt {
        let p = try ChatTemplate.messages(prompt, field: "prompt")
        return .pair(
          prompt: ChatTemplate.prompt(p),
          chosen: try ChatTemplate.response(c[...], field: "chosen"),
          rejected: try ChatTemplate.response(r[...], field: "rejected"), meta: meta)
      }
      guard
        case .pair(let p, let cr, let rr, _) = try ChatTemplate.splitImplicit(
          chosen: c, rejected: r)
      else { return .dropped(.noCommonPrompt) }
      return .pair(prompt: p, chosen: cr, rejected: rr, meta: meta)
    case (.string, _), (.array, _):
      throw .wrongType(
        "rejected", expected: chosen.stringValue != nil ? "a string" : "a list of messages")
    default:
      throw .wrongType("chosen", expected: "a string or a list of messages")
    }
  }

  /// Implicit prompt for plain strings: the common prefix cut back to its last space or newline.
  static func splitImplicit(chosen: String, rejected: String, meta: JSONValue) -> AdapterResult {
    let c = Array(chosen.utf8)
    let r = Array(rejected.utf8)
    var common = 0
    while common < c.count && common < r.count && c[common] == r[common] { common += 1 }
    var cut = common
    while cut > 0 && c[cut - 1] != 0x20 && c[cut - 1] != 0x0A { cut -= 1 }
    if cut > 0 { cut -= 1 }  // the space stays with the responses
    guard cut > 0 else { return .dropped(.noCommonPrompt) }
    return .pair(
      prompt: String(decoding: c[..<cut], as: UTF8.self),
      chosen: String(decoding: c[cut...], as: UTF8.self),
      rejected: String(decoding: r[cut...], as: UTF8.self), meta: meta)
  }
}
