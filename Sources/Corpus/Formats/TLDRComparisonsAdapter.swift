// TLDRComparisonsAdapter.swift — OpenAI "learning to summarize from human feedback" comparisons
// (FORMATS.md §3): `{"info": {…}, "summaries": [{text, policy, note}, {…}], "choice": 0|1, …}`.
// Prompt (the CarperAI/openai_summarize_comparisons form):
//   TL;DR posts:  "SUBREDDIT: r/<subreddit>\nTITLE: <title>\nPOST: <post>\nTL;DR:"
//   CNN/DM items: "SITE: <site>\nTITLE: <title>\nARTICLE: <article>\nTL;DR:"
// Responses are the summary texts as written (they usually start with a space). Axis-evaluation
// records (one rated `summary`, no pair) are dropped as not-a-pair.

/// Reads summarize-from-feedback comparison records.
public struct TLDRComparisonsAdapter: RecordAdapter {
  /// Creates the adapter.
  public init() {}

  public func matches(_ value: JSONValue) -> Bool {
    value.hasKeys("info", "summaries", "choice") || value.hasKeys("info", "summary")
  }

  public func convert(_ value: JSONValue) throws(RecordRejection) -> AdapterResult {
    if value["summaries"] == nil && value["summary"] != nil { return .dropped(.notAPair) }
    let info = try value.requiredObject("info")
    let summaries = try value.requiredArray("summaries")
    guard summaries.count == 2 else {
      throw RecordRejection(
        .invalidValue, "field 'summaries' has \(summaries.count) items, expected 2")
    }
    let choice = try value.requiredIndex("choice")
    var texts: [String] = []
    for (k, summary) in summaries.enumerated() {
      guard case .object = summary else {
        throw .wrongType("summaries.\(k)", expected: "an object")
      }
      texts.append(try summary.requiredString("text"))
    }
    let prompt: String
    if let post = info["post"]?.stringValue {
      let subreddit = info["subreddit"]?.stringValue ?? ""
      let title = info["title"]?.stringValue ?? ""
      prompt = "SUBREDDIT: r/\(subreddit)\nTITLE: \(title)\nPOST: \(post)\nTL;DR:"
    } else if let article = info["article"]?.stringValue {
      let site = info["site"]?.stringValue ?? ""
      let title = info["title"]?.stringValue ?? ""
      prompt = "SITE: \(site)\nTITLE: \(title)\nARTICLE: \(article)\nTL;DR:"
    } else {
      throw .missing("info.post")
    }
    var meta = value.removingKeys(["info", "summaries"]).objectValue ?? []
    if let id = info["id"] { meta.insert((key: "id", value: id), at: 0) }
    let policies: [JSONValue] = summaries.map { $0["policy"] ?? .null }
    meta.append((key: "policies", value: .array(policies)))
    return .pair(
      prompt: prompt, chosen: texts[choice], rejected: texts[1 - choice], meta: .object(meta))
  }
}
