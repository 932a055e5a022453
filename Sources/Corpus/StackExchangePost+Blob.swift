// The stored text of a question or answer, built straight from its row's bytes in pass 1 of
// StackExchangeReader: the same bytes as `BlobFields.encode` of the decoded post's
// [bodyHTML] + attribution (+ [title] for questions), the reference `referenceBlob` that tests
// compare it with on every row of the fixtures and the real dumps. The Body (most of a dump's
// bytes) is copied once, with no String made of it: libxml2 hands out UTF-8 it has already
// checked (an encoding error is a well-formedness error, K08), so the bytes are those the String
// would have held. Tags take the byte path when they are ASCII (as in the dumps), else the
// String path (`parseTags`, which splits on Characters).

extension StackExchangePost {
  /// The blob of a question (`isQuestion`) or answer row: Body (empty when omitted), license,
  /// owner id, owner name, tags joined with `|` (absent when none), and for questions the trimmed
  /// Title.
  static func blob(_ row: XMLRow, isQuestion: Bool) -> [UInt8] {
    var out: [UInt8] = []
    let body = row.value("Body")
    out.reserveCapacity((body?.count ?? 0) + 128)
    BlobFields.append(body ?? UnsafeBufferPointer(start: nil, count: 0), to: &out)
    BlobFields.append(row.value("ContentLicense"), to: &out)
    BlobFields.append(row.value("OwnerUserId"), to: &out)
    BlobFields.append(row.value("OwnerDisplayName"), to: &out)
    appendTags(row.value("Tags"), to: &out)
    if isQuestion {
      guard var title = row.string("Title").map(trimmed) else {
        BlobFields.append(nil, to: &out)
        return out
      }
      title.withUTF8 { BlobFields.append($0, to: &out) }
    }
    return out
  }

  /// The reference for `blob`: decode the post, then encode its fields.
  static func referenceBlob(_ row: XMLRow) throws(RecordRejection) -> [UInt8] {
    let post = try decode(row)
    let title: [String?] = post.postTypeId == question ? [post.title] : []
    return BlobFields.encode([post.bodyHTML] + post.attribution + title)
  }

  /// `parseTags(tags).joined(separator: "|")` as a field (absent when there are no tags).
  static func appendTags(_ tags: UnsafeBufferPointer<UInt8>?, to out: inout [UInt8]) {
    guard let tags, !tags.isEmpty else {
      BlobFields.append(nil, to: &out)
      return
    }
    guard tags.allSatisfy({ $0 < 0x80 }) else {
      let parsed = parseTags(String(decoding: tags, as: UTF8.self))
      guard var joined = parsed.isEmpty ? nil : parsed.joined(separator: "|") else {
        BlobFields.append(nil, to: &out)
        return
      }
      joined.withUTF8 { BlobFields.append($0, to: &out) }
      return
    }
    // ASCII: `<a><b>` or `|a|b|`; split on the separators, empty pieces dropped.
    let angled = tags[0] == UInt8(ascii: "<")
    var joined: [UInt8] = []
    var start = 0
    for index in 0...tags.count {
      let isSeparator =
        index == tags.count
        || (angled
          ? tags[index] == UInt8(ascii: "<") || tags[index] == UInt8(ascii: ">")
          : tags[index] == UInt8(ascii: "|"))
      guard isSeparator else { continue }
      if index > start {
        if !joined.isEmpty { joined.append(UInt8(ascii: "|")) }
        joined.append(contentsOf: UnsafeBufferPointer(rebasing: tags[start..<index]))
      }
      start = index + 1
    }
    guard !joined.isEmpty else {
      BlobFields.append(nil, to: &out)
      return
    }
    joined.withUnsafeBufferPointer { BlobFields.append($0, to: &out) }
  }
}
