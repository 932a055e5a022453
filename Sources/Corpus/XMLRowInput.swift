// The byte feed behind PostsXMLReader: serves a ByteSource to libxml2's read callback and, in
// recover mode, keeps the bytes served since the last good row so a broken row can be cut out
// and the rest replayed into a fresh parser. Lines are 1-based source lines throughout.

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
    var replay: [UInt8] = Array("<posts>\n".utf8)
    replay.append(contentsOf: retained[start..<cut])
    replay.append(contentsOf: [UInt8](repeating: 0x0A, count: cutEnd - cutStart + 1))
    replay.append(contentsOf: retained[resume...])
    replay.append(contentsOf: pending[pendingOffset...])
    pending = replay
    pendingOffset = 0
    retained.removeAll()
    retainedFirstLine = firstKept - 1
    lineShift = firstKept - 2
    return true
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
