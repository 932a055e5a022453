// ShareGPTDPOAdapter.swift — LLaMA-Factory preference data (FORMATS.md §8, both demo files):
//  * dpo_en_demo.json: `{"conversations": [{from, value}…], "chosen": {from, value}, "rejected":
//    {from, value}}` (optional top-level `system` string): prompt = ChatTemplate.prompt(system +
//    conversations), responses = " " + the chosen/rejected message's value;
//  * v1_dpo_demo.jsonl: `{"chosen_messages": […], "rejected_messages": […]}` with typed content
//    parts; the prompt is the shared message prefix (implicit, as for TRL conversational).

/// Reads ShareGPT-style DPO records.
public struct ShareGPTDPOAdapter: RecordAdapter {
  /// Creates the adapter.
  public init() {}

  public func matches(_ value: JSONValue) -> Bool {
    value.hasKeys("conversations", "chosen", "rejected")
      || value.hasKeys("chosen_messages", "rejected_messages")
  }

  public func convert(_ value: JSONValue) throws(RecordRejection) -> AdapterResult {
    if value["chosen_messages"] != nil || value["rejected_messages"] != nil {
      let c = try ChatTemplate.messages(value["chosen_messages"], field: "chosen_messages")
      let r = try ChatTemplate.messages(value["rejected_messages"], field: "rejected_messages")
      let result = try ChatTemplate.splitImplicit(chosen: c, rejected: r)
      guard case .pair(let p, let cr, let rr, _) = result else { return result }
      return .pair(
        prompt: p, chosen: cr, rejected: rr,
        meta: value.removingKeys(["chosen_messages", "rejected_messages"]))
    }
    var history = try ChatTemplate.messages(value["conversations"], field: "conversations")
    if let system = value["system"], !system.isNull {
      guard let text = system.stringValue else { throw .wrongType("system", expected: "a string") }
      history.insert(ChatMessage(role: .system, content: text), at: 0)
    }
    let chosen = try ChatTemplate.message(try value.requiredObject("chosen"), field: "chosen")
    let rejected = try ChatTemplate.message(try value.requiredObject("rejected"), field: "rejected")
    return .pair(
      prompt: ChatTemplate.prompt(history),
      chosen: try ChatTemplate.response([chosen][...], field: "chosen"),
      rejected: try ChatTemplate.response([rejected][...], field: "rejected"),
      meta: value.removingKeys(["conversations", "system", "chosen", "rejected"]))
  }
}
