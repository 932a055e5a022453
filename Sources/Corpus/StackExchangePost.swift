// One Stack Exchange post decoded from a Posts.xml `<row>` (FORMATS.md §7): integer attributes
// parsed, the Body's HTML rendered to text (the second decoding layer, K09), Tags in either
// syntax (`<a><b>` in older dumps, `|a|b|` in 2024 ones). Titles are plain text in the dumps
// (`Q&amp;A` in the file is `Q&A`; `&lt;language&gt;` is a literal `<language>`), so they get
// the XML layer only. An omitted attribute is NULL: absent optional fields stay nil.

/// The fields of a post that pairing and attribution use.
struct StackExchangePost: Sendable, Equatable {
  var id: Int
  var postTypeId: Int
  var parentId: Int?
  var acceptedAnswerId: Int?
  var score: Int
  var title: String?
  /// Body as text (HTMLText), empty when the attribute is omitted.
  var body: String
  var tags: [String]
  var contentLicense: String?
  var ownerUserId: String?
  var ownerDisplayName: String?
  var line: Int

  static let question = 1
  static let answer = 2

  /// Decodes `row`; the Body is rendered only for questions and answers (the only posts paired).
  static func decode(_ row: XMLRow) throws(RecordRejection) -> StackExchangePost {
    let id = try integer(row, "Id", required: true)!
    let type = try integer(row, "PostTypeId", required: true)!
    let isPaired = type == question || type == answer
    var body = ""
    if isPaired, let html = row.value("Body") { body = HTMLText.render(html) }
    return StackExchangePost(
      id: id, postTypeId: type,
      parentId: try integer(row, "ParentId", required: type == answer),
      acceptedAnswerId: try integer(row, "AcceptedAnswerId", required: false),
      score: try integer(row, "Score", required: isPaired) ?? 0,
      title: row.string("Title").map(trimmed),
      body: body,
      tags: parseTags(row.string("Tags") ?? ""),
      contentLicense: row.string("ContentLicense"),
      ownerUserId: row.string("OwnerUserId"),
      ownerDisplayName: row.string("OwnerDisplayName"),
      line: row.line)
  }

  static func integer(_ row: XMLRow, _ name: StaticString, required: Bool) throws(RecordRejection)
    -> Int?
  {
    guard let text = row.string(name) else {
      if required { throw RecordRejection.missing("\(name)") }
      return nil
    }
    guard let value = Int(text) else {
      throw RecordRejection(.invalidValue, "attribute '\(name)' is '\(text)', expected an integer")
    }
    return value
  }

  /// `<swift><xml>` or `|swift|xml|` → `["swift", "xml"]`.
  static func parseTags(_ text: String) -> [String] {
    let separators: Set<Character> = text.hasPrefix("<") ? ["<", ">"] : ["|"]
    return text.split(whereSeparator: { separators.contains($0) }).map(String.init)
  }

  static func trimmed(_ text: String) -> String {
    var slice = Substring(text)
    while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
    while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
    return String(slice)
  }

  /// The prompt: title and body separated by a blank line (just the body when untitled).
  var promptText: String {
    guard let title, !title.isEmpty else { return body }
    return body.isEmpty ? title : title + "\n\n" + body
  }

  /// Attribution fields stored with the text: license, owner id, owner display name, tags.
  var attribution: [String?] {
    [
      contentLicense, ownerUserId, ownerDisplayName,
      tags.isEmpty ? nil : tags.joined(separator: "|"),
    ]
  }
}
