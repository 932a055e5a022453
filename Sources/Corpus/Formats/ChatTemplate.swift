// ChatTemplate.swift — the one plain-text chat template used for every conversational format
// (TRL conversational, ShareGPT, UltraFeedback binarized). It is the HH-RLHF transcript style, so all
// formats end up in the same shape the reward model sees for HH-RLHF:
//   each message  → "\n\n" + Role + ": " + content     (Role: System, Human, Assistant)
//   prompt        → render(prompt messages) + "\n\nAssistant:"
//   response      → " " + first assistant content + render(later messages)
// Roles: system → System; user, human → Human; assistant, gpt, model → Assistant.

/// A chat message reduced to a role and plain text.
struct ChatMessage: Equatable {
  enum Role: String { case system = "System", human = "Human", assistant = "Assistant" }
  var role: Role
  var content: String
}

/// Renders message lists to prompt and response text (see the file header for the exact rules).
enum ChatTemplate {
  /// The marker that ends every prompt.
  static let assistantMarker = "\n\nAssistant:"

  /// Parses `{"role"|"from": …, "content"|"value": …}`; content may be a string or a list of
  /// `{"type":"text","text"|"value": …}` parts (LLaMA-Factory v1), which are concatenated.
  static func message(_ value: JSONValue, field: String) throws(RecordRejection) -> ChatMessage {
    guard case .object = value else {
      throw .wrongType(field, expected: "a list of message objects")
    }
    guard let roleText = (value["role"] ?? value["from"])?.stringValue else {
      throw .missing("\(field).role")
    }
    let role: ChatMessage.Role
    switch roleText {
    case "system": role = .system
    case "user", "human": role = .human
    case "assistant", "gpt", "model": role = .assistant
    default: throw RecordRejection(.invalidValue, "field '\(field)' has unknown role '\(roleText)'")
    }
    guard let content = value["content"] ?? value["value"], !content.isNull else {
      throw .missing("\(field).content")
    }
    if let text = content.stringValue { return ChatMessage(role: role, content: text) }
    guard let parts = content.arrayValue else {
      throw .wrongType("\(field).content", expected: "a string or a list of text parts")
    }
    var text = ""
    for part in parts {
      guard part["type"]?.stringValue ?? "text" == "text",
        let piece = (part["text"] ?? part["value"])?.stringValue
      else { throw RecordRejection(.invalidValue, "field '\(field).content' has a non-text part") }
      text += piece
    }
    return ChatMessage(role: role, content: text)
  }

  /// Parses a list of messages at `field`.
  static func messages(_ value: JSONValue?, field: String) throws(RecordRejection) -> [ChatMessage]
  {
    guard let value, !value.isNull else { throw .missing(field) }
    guard let items = value.arrayValue else {
      throw .wrongType(field, expected: "a list of messages")
    }
    var out: [ChatMessage] = []
    for item in items { out.append(try message(item, field: field)) }
    return out
  }

  /// `render(messages)`: "\n\nRole: content" per message.
  static func render(_ messages: some Sequence<ChatMessage>) -> String {
    var text = ""
    for m in messages { text += "\n\n\(m.role.rawValue): \(m.content)" }
    return text
  }

  /// The prompt text for the messages before the response.
  static func prompt(_ messages: [ChatMessage]) -> String { render(messages) + assistantMarker }

  /// The response text: the first message must be the assistant's.
  static func response(_ messages: ArraySlice<ChatMessage>, field: String) throws(RecordRejection)
    -> String
  {
    guard let first = messages.first else {
      throw RecordRejection(.invalidValue, "field '\(field)' has no response message")
    }
    guard first.role == .assistant else {
      throw RecordRejection(
        .invalidValue, "field '\(field)' response does not start with an assistant message")
    }
    return " " + first.content + render(messages.dropFirst())
  }

  /// Implicit prompt: the longest common message prefix of `chosen` and `rejected`, rendered; the
  /// responses are the remainders (TRL `maybe_extract_prompt`).
  static func splitImplicit(chosen: [ChatMessage], rejected: [ChatMessage]) throws(RecordRejection)
    -> AdapterResult
  {
    var shared = 0
    while shared < chosen.count && shared < rejected.count && chosen[shared] == rejected[shared] {
      shared += 1
    }
    // The response starts at the last assistant message inside the shared part's end.
    while shared > 0
      && (shared >= chosen.count || chosen[shared].role != .assistant
        || shared >= rejected.count || rejected[shared].role != .assistant)
    {
      shared -= 1
    }
    if shared == 0 { return .dropped(.noCommonPrompt) }
    return .pair(
      prompt: prompt(Array(chosen[..<shared])),
      chosen: try response(chosen[shared...], field: "chosen"),
      rejected: try response(rejected[shared...], field: "rejected"), meta: .object([]))
  }
}
