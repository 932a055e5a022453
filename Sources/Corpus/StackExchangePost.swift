// One Stack Exchange post decoded from a Posts.xml `<row>` (FORMATS.md §7): integer attributes
// parsed, the Body kept as HTML (rendered to text by `renderedBody`, the second decoding layer,
// K09, only for posts that end up in a pair), Tags in either syntax (`<a><b>` in older dumps,
// `|a|b|` in 2024 ones). Titles are plain text in the dumps (`Q&amp;A` in the file is `Q&A`;
// `&lt;language&gt;` is a literal `<language>`), so they get the XML layer only. An omitted
// attribute is NULL: absent optional fields stay nil.

/// The fields of a post that pairing and attribution use.
struct StackExchangePost: Sendable, Equatable {
  var id: Int
  var postTypeId: Int
  var parentId: Int?
  var acceptedAnswerId: Int?
  var score: Int
  var title: String?
  /// Body as HTML (the XML layer decoded), empty when the attribute is omitted.
  var bodyHTML: String
  var tags: [String]
  var contentLicense: String?
  var ownerUserId: String?
  var ownerDisplayName: String?
  var line: Int

  static let question = 1
  static let answer = 2

  /// Decodes `row`; the Body is kept only for questions and answers (the only posts paired).
  static func decode(_ row: XMLRow) throws(RecordRejection) -> StackExchangePost {
    var post = try decodeKeys(row)
    let isPaired = post.postTypeId == question || post.postTypeId == answer
    post.title = row.string("Title").map(trimmed)
    post.bodyHTML = isPaired ? row.string("Body") ?? "" : ""
    post.tags = parseTags(row.string("Tags") ?? "")
    post.contentLicense = row.string("ContentLicense")
    post.ownerUserId = row.string("OwnerUserId")
    post.ownerDisplayName = row.string("OwnerDisplayName")
    return post
  }

  /// The integer attributes of `row` (what pairing needs), checked in the order `decode` checks
  /// them; the text fields are left empty (pass 1 copies them as bytes: `blob`).
  static func decodeKeys(_ row: XMLRow) throws(RecordRejection) -> StackExchangePost {
    let id = try integer(row, "Id", required: true)!
    let type = try integer(row, "PostTypeId", required: true)!
    let isPaired = type == question || type == answer
    return StackExchangePost(
      id: id, postTypeId: type,
      parentId: try integer(row, "ParentId", required: type == answer),
      acceptedAnswerId: try integer(row, "AcceptedAnswerId", required: false),
      score: try integer(row, "Score", required: isPaired) ?? 0,
      title: nil, bodyHTML: "", tags: [], contentLicense: nil, ownerUserId: nil,
      ownerDisplayName: nil, line: row.line)
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

  /// The Body's HTML as text (HTMLText).
  static func renderedBody(_ html: String) -> String {
    html.isEmpty ? "" : HTMLText.render(html)
  }

  /// The prompt: title and body text separated by a blank line (just the body when untitled).
  static func promptText(title: String?, body: String) -> String {
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
