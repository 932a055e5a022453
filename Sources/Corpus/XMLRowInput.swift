// The byte feed behind PostsXMLReader: serves a ByteSource to libxml2's read callback and, in
// recover mode, keeps the bytes served since the last good row so a broken row can be cut out
// and the rest replayed into a fresh parser. Lines are 1-based source lines throughout.

#if canImport(Glibc)
import Glibc
#endif

/// Feeds libxml2 from a read function; remembers recent bytes when `retains` is set.
final class XMLRowInput {
  typealias Read = (UnsafeMutableRawBufferPointer) throws -> Int

  private let readSource: Read
  /// An error the source threw inside the C callback; rethrown by the reader.
  var failure: (any Error)?
  /// Bytes to serve before the source (a replay after a cut-out row).
  private var pending: [UInt8] = []
  private var pendingOffset = 0
  /// Keep served bytes for replay (recover mode only).
  let retains: Bool
  /// Bytes served, starting at the beginning of source line `retainedFirstLine`.
  private var retained: [UInt8] = []
  private(set) var retainedFirstLine = 1
  /// Source line = parser line + `lineShift` (changes with each replay).
  private(set) var lineShift = 0
  private(set) var sourceExhausted = false
  /// Bytes read from the source so far (0 at the end: the input was empty).
  private(set) var sourceBytes = 0
  /// Where the source's content ends (K08 truncation check), kept by `noteSourceBytes`.
  private(set) var sourceEnd = SourceEnd()

  init(read: @escaping Read, retains: Bool) {
    self.readSource = read
    self.retains = retains
  }

  /// Fills `buffer`; 0 at the end of input. Called from libxml2's read callback.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    var count = 0
    if pendingOffset < pending.count {
      count = min(buffer.count, pending.count - pendingOffset)
      pending.withUnsafeBytes { bytes in
        buffer.copyMemory(
          from: UnsafeRawBufferPointer(rebasing: bytes[pendingOffset..<(pendingOffset + count)]))
      }
      pendingOffset += count
      if pendingOffset == pending.count {
        pending.removeAll()
        pendingOffset = 0
      }
    } else {
      count = try readSource(buffer)
      sourceEnd.note(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), base: sourceBytes)
      sourceBytes += count
      if count == 0 { sourceExhausted = true }
    }
    if retains, count > 0 {
      retained.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
    return count
  }

  /// Forgets retained lines before `line` once they take more than 1 MiB (amortised O(1) per byte).
  func release(before line: Int) {
    guard retains, retained.count > 1 << 20, line > retainedFirstLine else { return }
    guard let offset = offset(ofLine: line) else { return }
    retained.removeFirst(offset)
    retainedFirstLine = line
  }

  /// Prepares a replay that resumes after a broken row: lines `firstKept ..< cutStart` are kept,
  /// lines `cutStart ... cutEnd` are blanked (kept as empty lines, so numbering stays linear),
  /// everything after is kept. The replay starts with a synthetic `<posts>` line standing for
  /// line `firstKept − 1`. Returns false when the needed bytes are no longer retained.
  func prepareReplay(firstKept: Int, cutStart: Int, cutEnd: Int) -> Bool {
    guard retains, firstKept >= retainedFirstLine, let start = offset(ofLine: firstKept),
      let cut = offset(ofLine: cutStart)
    else { return false }
    let resume = offset(ofLine: cutEnd + 1) ?? retained.count
    var body = Array(retained[start..<cut])
    body.append(contentsOf: [UInt8](repeating: 0x0A, count: cutEnd - cutStart + 1))
    body.append(contentsOf: retained[resume...])
    body.append(contentsOf: pending[pendingOffset...])
    replay(body, firstKept: firstKept)
    return true
  }

  /// Prepares the replay after a truncated source: lines `firstKept ..< cutStart` (to the end
  /// when `cutStart` is nil) after a synthetic `<posts>`, then a synthetic `</posts>`, so the
  /// complete rows the parser had not yet delivered still are. Returns false when the needed
  /// bytes are no longer retained.
  func prepareTruncatedReplay(firstKept: Int, cutStart: Int?) -> Bool {
    guard retains, firstKept >= retainedFirstLine, let start = offset(ofLine: firstKept) else {
      return false
    }
    let end = cutStart.flatMap { offset(ofLine: $0) } ?? retained.count
    var body = Array(retained[start..<max(start, end)])
    if body.last != 0x0A { body.append(0x0A) }
    body.append(contentsOf: Array("</posts>\n".utf8))
    replay(body, firstKept: firstKept)
    return true
  }

  /// Serves a synthetic `<posts>` line standing for line `firstKept − 1`, then `body`, before
  /// the rest of the source; retention restarts with the replay.
  private func replay(_ body: [UInt8], firstKept: Int) {
    pending = Array("<posts>\n".utf8) + body
    pendingOffset = 0
    retained.removeAll()
    retainedFirstLine = firstKept - 1
    lineShift = firstKept - 2
  }

  /// The source line that starts with the last `<row` at or before `line`, not before `floor`.
  func rowStart(atOrBefore line: Int, floor: Int) -> Int {
    var candidate = line
    while candidate >= max(floor, retainedFirstLine) {
      if let start = offset(ofLine: candidate), startsWithRow(at: start) { return candidate }
      candidate -= 1
    }
    return line
  }

  /// The first retained source line that starts with `<row` (where rows begin, after the XML
  /// declaration and the root start tag), not after `limit`; nil if none.
  func firstRowLine(notAfter limit: Int) -> Int? {
    var line = retainedFirstLine
    while line <= limit {
      guard let start = offset(ofLine: line) else { return nil }
      if startsWithRow(at: start) { return line }
      line += 1
    }
    return nil
  }

  private func startsWithRow(at offset: Int) -> Bool {
    var index = offset
    while index < retained.count, retained[index] == 0x20 || retained[index] == 0x09 { index += 1 }
    let tag: [UInt8] = Array("<row".utf8)
    return retained.count - index >= tag.count
      && Array(retained[index..<(index + tag.count)]) == tag
  }

  /// Byte offset in `retained` where source line `line` starts; nil if not retained.
  private func offset(ofLine line: Int) -> Int? {
    if line == retainedFirstLine { return 0 }
    guard line > retainedFirstLine else { return nil }
    var remaining = line - retainedFirstLine
    for (index, byte) in retained.enumerated() where byte == 0x0A {
      remaining -= 1
      if remaining == 0 { return index + 1 }
    }
    return nil
  }
}

/// Where the content of a byte stream ends: the line and column after its last non-blank byte,
/// the first bytes of that line, the last non-blank byte, and whether `</posts>` occurred.
/// Enough to tell a dump cut off inside a `<row …` or before `</posts>` from a complete one
/// without keeping the bytes.
// Performance notes (44 MB dump, release, user time of `rmprep convert`): a per-byte Swift loop
// here added 35%, and small Array allocations per read (libxml2 asks for a few hundred bytes at a
// time) 15%. Now newlines and `<` are found with memchr, the state is plain integers, and only
// the blank bytes at the end of a read and the first bytes of its last line are looked at one by
// one: no measurable cost (0.24–0.25 s before and after).
struct SourceEnd {
  /// Newlines seen so far.
  private var newlines = 0
  /// Byte offset where the current line starts.
  private var lineStart = 0
  /// 1-based line of the last non-blank byte (0: none yet).
  private(set) var lastLine = 0
  /// 1-based column just after the last non-blank byte.
  private(set) var endColumn = 1
  /// The last non-blank byte.
  private var lastByte: UInt8 = 0
  /// The first 4 non-blank bytes of the last line with content, oldest in the high byte.
  private var lastLineHead: UInt32 = 0
  private var lastLineHeadCount = 0
  /// The same for the current line (the one after the last newline).
  private var head: UInt32 = 0
  private var headCount = 0
  /// The last 8 bytes of the stream, oldest in the high byte (a `</posts>` split between reads).
  private var recent: UInt64 = 0
  /// `</posts>`, the root end tag, occurred (a raw `<` cannot occur in attribute values).
  private(set) var sawRootEndTag = false

  /// The last line with content starts with `<row`.
  var lastLineStartsRow: Bool { lastLineHeadCount == 4 && lastLineHead == 0x3C72_6F77 }
  /// The content ends with `>` (a tag is complete).
  var endsWithTagEnd: Bool { lastByte == 0x3E }

  /// `</posts>`, oldest byte in the high byte.
  private static let rootEndTag: UInt64 = 0x3C2F_706F_7374_733E

  /// Takes the next bytes of the stream, which start at byte offset `base`.
  mutating func note(_ bytes: UnsafeRawBufferPointer, base: Int) {
    guard !bytes.isEmpty else { return }
    if !sawRootEndTag { findRootEndTag(bytes) }
    var last = bytes.count - 1
    while last >= 0, Self.isBlank(bytes[last]) { last -= 1 }
    let split = last + 1
    if last >= 0 {
      let (before, lastBefore) = Self.newlines(bytes, from: 0, to: split)
      newlines += before
      if let lastBefore { startLine(at: base + lastBefore + 1) }
      extendHead(bytes, from: lastBefore.map { $0 + 1 } ?? 0, to: split)
      lastLine = newlines + 1
      endColumn = base + last - lineStart + 2
      lastLineHead = head
      lastLineHeadCount = headCount
      lastByte = bytes[last]
    }
    let (after, lastAfter) = Self.newlines(bytes, from: split, to: bytes.count)
    newlines += after
    if let lastAfter { startLine(at: base + lastAfter + 1) }
  }

  private mutating func startLine(at offset: Int) {
    lineStart = offset
    head = 0
    headCount = 0
  }

  /// Adds the non-blank bytes of `bytes[from..<to]` to the current line's head, up to 4.
  private mutating func extendHead(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) {
    var index = from
    while index < to, headCount < 4 {
      if !Self.isBlank(bytes[index]) {
        head = head << 8 | UInt32(bytes[index])
        headCount += 1
      }
      index += 1
    }
  }

  private mutating func findRootEndTag(_ bytes: UnsafeRawBufferPointer) {
    // A tag that starts in the previous bytes and ends in these.
    var register = recent
    for index in 0..<min(7, bytes.count) {
      register = register << 8 | UInt64(bytes[index])
      if register == Self.rootEndTag { sawRootEndTag = true }
    }
    if !sawRootEndTag { sawRootEndTag = Self.containsRootEndTag(bytes) }
    for index in max(0, bytes.count - 8)..<bytes.count {
      recent = recent << 8 | UInt64(bytes[index])
    }
  }

  /// `</posts>` occurs in `bytes` (memchr for each `<`: about one per row in a dump).
  private static func containsRootEndTag(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let start = bytes.baseAddress else { return false }
    var position = 0
    while position + 8 <= bytes.count,
      let found = memchr(start + position, 0x3C, bytes.count - position - 7)
    {
      if UInt64(bigEndian: UnsafeRawPointer(found).loadUnaligned(as: UInt64.self)) == rootEndTag {
        return true
      }
      position = start.distance(to: UnsafeRawPointer(found)) + 1
    }
    return false
  }

  /// The number of newlines in `bytes[from..<to]` and the offset (in `bytes`) of the last one.
  private static func newlines(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> (Int, Int?) {
    let (count, last) = Corpus.newlines(in: UnsafeRawBufferPointer(rebasing: bytes[from..<to]))
    return (count, last.map { $0 + from })
  }

  private static func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
  }
}
