// LineReader.swift — splits a ByteSource into lines and lends each one to a closure as a borrowed
// buffer (no copy, no allocation per line; STYLE C3: ~3× faster than an iterator of arrays).
// Conventions: lines are 1-based; the `\n` and one `\r` before it are not part of the line; a last
// line without `\n` is a line; a UTF-8 BOM at byte 0 is skipped. Lines of any length are
// supported (K07): the buffer doubles until the line fits, and memory stays bounded by the
// longest line. Offsets are in decoded bytes from the start of the stream.
// Over a ReadAheadSource the reader trades buffers with the decompression thread instead of
// copying each chunk (`ReadAheadSource.exchange`): the unfinished line is copied in front of the
// next chunk and parsing goes on there. Copying with `read(into:)` is the reference, and the path
// taken whenever a hand-over is not possible (a line longer than the headroom, a grown buffer).
#if canImport(Glibc)
import Glibc
#endif

/// Reads lines from a byte source with a reused, growable buffer.
public final class LineReader {
  // Internal (not private) so that LineReader+JSONArray.swift can scan the same buffer.
  let source: ByteSource
  /// `source` when it can hand over whole chunks (and its buffers have our buffer's size).
  private let lender: ReadAheadSource?
  var buffer: UnsafeMutableRawBufferPointer
  var start = 0  // first unconsumed byte
  var end = 0  // one past the last valid byte
  var consumedBefore = 0  // decoded bytes discarded before `buffer[0]`
  var atEOF = false
  var atStart = true

  /// The source's display name, for errors.
  var sourceName: String { source.name }

  /// Initial buffer size (1 MiB); it grows only for longer lines.
  public static let initialCapacity = 1 << 20

  /// Decoded bytes read from the source so far.
  public var decodedBytesRead: Int { consumedBefore + end }

  /// Creates a reader over `source`; `capacity` is the initial buffer size in bytes.
  public init(_ source: ByteSource, capacity: Int = LineReader.initialCapacity) {
    self.source = source
    var size = max(capacity, 16)
    if let ahead = source as? ReadAheadSource, size <= ahead.exchangeCapacity {
      lender = ahead
      size = ahead.exchangeCapacity
    } else {
      lender = nil
    }
    buffer = .allocate(byteCount: size, alignment: 16)
  }

  deinit { buffer.deallocate() }

  /// The first byte that is not JSON whitespace (after a leading BOM), or nil for an input with none.
  /// Reading continues from the start afterwards.
  /// - Throws: `CorpusError` from the source.
  public func firstNonSpaceByte() throws -> UInt8? {
    var index = start
    while true {
      if atStart && end - start >= 3 { skipBOM(); index = start }
      while index < end {
        let byte = buffer[index]
        if byte != 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09 { return byte }
        index += 1
      }
      if atEOF { if atStart { skipBOM() }; return nil }
      try fill()
    }
  }

  /// Calls `body` once per line, in order, until the input ends.
  ///
  /// - Parameter body: receives the line's bytes (without `\n` or a trailing `\r`), its 1-based
  ///   number and its decoded byte offset. The buffer is borrowed: copy it if you keep it.
  /// - Throws: whatever the source or `body` throws.
  public func forEachLine(
    _ body: (_ line: UnsafeRawBufferPointer, _ number: Int, _ offset: Int) throws -> Void
  ) throws {
    var number = 0
    while true {
      if atStart {
        while end - start < 3 && !atEOF { try fill() }
        skipBOM()
      }
      let base = buffer.baseAddress!
      if let newline = memchr(base + start, 0x0A, end - start) {
        let stop = base.distance(to: newline)
        number += 1
        try emit(from: start, to: stop, number: number, body)
        start = stop + 1
        continue
      }
      if atEOF {
        if end > start {
          number += 1
          try emit(from: start, to: end, number: number, body)
          start = end
        }
        return
      }
      try fill()
    }
  }

  private func emit(
    from lineStart: Int, to lineEnd: Int, number: Int,
    _ body: (UnsafeRawBufferPointer, Int, Int) throws -> Void
  ) throws {
    var stop = lineEnd
    if stop > lineStart && buffer[stop - 1] == 0x0D { stop -= 1 }
    let line = UnsafeRawBufferPointer(rebasing: buffer[lineStart..<stop])
    try body(line, number, consumedBefore + lineStart)
  }

  private func skipBOM() {
    atStart = false
    if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB
      && buffer[start + 2] == 0xBF
    {
      start += 3
    }
  }

  /// Reads more bytes: compacts the unconsumed tail to the front, growing the buffer when full.
  /// Over a lending source the next chunk's buffer is taken instead, the tail copied in front of it.
  func fill() throws {
    if let lender, buffer.count == lender.exchangeCapacity, end - start <= lender.headroom {
      let tail = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
      switch try lender.exchange(buffer, carrying: tail) {
      case .chunk(let next, let count):
        let newStart = lender.headroom - tail.count
        consumedBefore += start - newStart  // buffer[i] is decoded byte consumedBefore + i
        buffer = next
        start = newStart
        end = lender.headroom + count
        return
      case .end:
        atEOF = true
        return
      case .unavailable:
        break
      }
    }
    if start > 0 {
      let tail = end - start
      if tail > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + start, tail) }
      consumedBefore += start
      end = tail
      start = 0
    }
    if end == buffer.count {
      let bigger = UnsafeMutableRawBufferPointer.allocate(
        byteCount: buffer.count * 2, alignment: 16)
      bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
      buffer.deallocate()
      buffer = bigger
    }
    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
    if n == 0 { atEOF = true }
    end += n
  }
}
