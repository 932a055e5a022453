// LineReader over a ReadAheadSource trades buffers with the thread (ReadAheadSource.exchange)
// instead of copying each chunk. Reference: the same LineReader over the decoder read directly
// (copying). Same lines, numbers, offsets and decoded byte count for every ring shape, headrooms
// shorter and longer than the lines, a source partly read before the reader starts, and the same
// error after the same lines on a truncated stream.

import Testing

@testable import Corpus

@Suite struct LineReaderExchangeTests {
  /// Lines of varied length (0 to ~3 kB), CRLF on some, a BOM, a last line without newline,
  /// compressed in two zstd frames.
  static func corpus() throws -> [UInt8] {
    var text = "\u{FEFF}"
    for n in 0..<700 {
      text +=
        "{\"n\":\(n),\"t\":\"" + String(repeating: "é\(n % 10)", count: (n * 37) % 1500) + "\"}"
      text += n % 5 == 0 ? "\r\n" : "\n"
      if n % 97 == 0 { text += "\n" }
    }
    text += "{\"last\":true}"
    let bytes = Array(text.utf8)
    let half = bytes.count / 2
    return try zstdCompress(Array(bytes[..<half])) + zstdCompress(Array(bytes[half...]))
  }

  struct Line: Equatable {
    let bytes: [UInt8]
    let number: Int
    let offset: Int
  }

  static func lines(_ source: ByteSource, skipFirst: Int = 0) -> ([Line], Int, CorpusError?) {
    var out: [Line] = []
    var skipped = 0  // like a format sniff: the head is read with `read(into:)` first
    var head = [UInt8](repeating: 0, count: max(skipFirst, 1))
    while skipped < skipFirst {
      let n = head.withUnsafeMutableBytes { buffer in
        (try? source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[skipped...]))) ?? 0
      }
      if n == 0 { break }
      skipped += n
    }
    let reader = LineReader(source)
    do {
      try reader.forEachLine { line, number, offset in
        out.append(Line(bytes: Array(line), number: number, offset: offset))
      }
      return (out, reader.decodedBytesRead, nil)
    } catch {
      return (out, reader.decodedBytesRead, error as? CorpusError)
    }
  }

  @Test(arguments: [
    (2, 1000, 0), (2, 1000, 100), (3, 4096, 5000), (4, 1 << 16, 1 << 12), (4, 1 << 20, 1 << 18),
  ])
  func sameLinesAsCopying(slots: Int, chunkSize: Int, headroom: Int) throws {
    let compressed = try Self.corpus()
    for skip in [0, 4096] {
      let expected = Self.lines(try ZstdSource(MemorySource(compressed)), skipFirst: skip)
      let ahead = ReadAheadSource(
        try ZstdSource(MemorySource(compressed)), slots: slots, chunkSize: chunkSize,
        headroom: headroom)
      let got = Self.lines(ahead, skipFirst: skip)
      #expect(expected.2 == nil && got.2 == nil)
      #expect(got.0.count == expected.0.count)
      #expect(got.0 == expected.0)
      #expect(got.1 == expected.1)
      #expect(ahead.rawBytesRead == compressed.count)
    }
  }

  @Test func sameErrorAfterTheSameLines() throws {
    let compressed = try Self.corpus()
    let cut = Array(compressed[..<(compressed.count * 3 / 4)])
    let expected = Self.lines(try ZstdSource(MemorySource(cut, name: "c")))
    let got = Self.lines(
      ReadAheadSource(
        try ZstdSource(MemorySource(cut, name: "c")), slots: 2, chunkSize: 3000, headroom: 2000))
    #expect(expected.2 != nil)
    #expect(got.2 == expected.2)
    #expect(got.0 == expected.0)
    #expect(!got.0.isEmpty)
  }

  @Test func exchangeKeepsTheCarriedBytes() throws {
    let bytes = (0..<10_000).map { UInt8($0 % 251) }
    let ahead = ReadAheadSource(MemorySource(bytes), slots: 2, chunkSize: 3000, headroom: 16)
    var spare = UnsafeMutableRawBufferPointer.allocate(
      byteCount: ahead.exchangeCapacity, alignment: 16)
    defer { spare.deallocate() }
    var got: [UInt8] = []
    var carried: [UInt8] = [7, 8, 9]
    while true {
      let result = try carried.withUnsafeBytes { try ahead.exchange(spare, carrying: $0) }
      guard case .chunk(let buffer, let count) = result else {
        guard case .end = result else { Issue.record("unexpected \(result)"); return }
        break
      }
      #expect(Array(buffer[(16 - carried.count)..<16]) == carried)
      got += buffer[16..<(16 + count)]
      spare = buffer
      carried = [UInt8(count % 256)]
    }
    #expect(got == bytes)
    let wrongSize = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 1)
    defer { wrongSize.deallocate() }
    #expect(
      try ahead.exchange(wrongSize, carrying: UnsafeRawBufferPointer(start: nil, count: 0))
        .isUnavailable)
  }
}

extension ReadAheadSource.Exchange {
  var isUnavailable: Bool { if case .unavailable = self { return true } else { return false } }
}
