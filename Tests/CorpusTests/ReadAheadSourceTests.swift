// ReadAheadSource (a decoder read on its own thread) against its reference, the same decoder read
// directly: the same bytes for every read size and ring shape, the same error after the same
// bytes, the same raw byte count at the end, and no hang when the reader gives up early.

import Testing

@testable import Corpus

@Suite struct ReadAheadSourceTests {
  /// About 25 kB of JSONL in three zstd frames.
  static func frames() throws -> [UInt8] {
    var frames: [UInt8] = []
    for part in 0..<3 {
      var text = ""
      for n in 0..<500 {
        text += "{\"part\":\(part),\"n\":\(n),\"text\":\"caf\u{e9} \(n * 7)\"}\n"
      }
      frames += try zstdCompress(Array(text.utf8))
    }
    return frames
  }

  @Test(arguments: [(2, 1), (2, 4096), (3, 1000), (4, 1 << 20)])
  func sameBytesAsReadingDirectly(slots: Int, chunkSize: Int) throws {
    let compressed = try Self.frames()
    let direct = try ZstdSource(MemorySource(compressed))
    let expected = try drain(direct)
    for readSize in [3, 4096, 100_000] {
      let ahead = ReadAheadSource(
        try ZstdSource(MemorySource(compressed)), slots: slots, chunkSize: chunkSize)
      #expect(try drain(ahead, chunk: readSize) == expected)
      #expect(ahead.rawBytesRead == compressed.count)
      #expect(try drain(ahead) == [])  // stays at the end
    }
  }

  @Test func sameErrorAfterTheSameBytes() throws {
    let compressed = try Self.frames()
    let cut = Array(compressed[..<(compressed.count * 2 / 3)])
    func readUntilError(_ source: ByteSource) -> ([UInt8], CorpusError?) {
      var out: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 333)
      do {
        while true {
          let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
          if n == 0 { return (out, nil) }
          out += buffer[0..<n]
        }
      } catch {
        return (out, error as? CorpusError)
      }
    }
    let (directBytes, directError) = readUntilError(try ZstdSource(MemorySource(cut, name: "c")))
    let (aheadBytes, aheadError) = readUntilError(
      ReadAheadSource(try ZstdSource(MemorySource(cut, name: "c")), slots: 2, chunkSize: 5000))
    #expect(directError != nil)
    #expect(aheadError == directError)
    // A truncated stream: everything decodable comes out, then the error, on both paths.
    #expect(aheadBytes == directBytes)
    #expect(!aheadBytes.isEmpty)
  }

  @Test func givingUpEarlyDoesNotHang() throws {
    let big = [UInt8](repeating: 0x61, count: 1 << 20)
    for _ in 0..<20 {
      var ahead: ReadAheadSource? = ReadAheadSource(MemorySource(big), slots: 2, chunkSize: 1000)
      var buffer = [UInt8](repeating: 0, count: 10)
      _ = try buffer.withUnsafeMutableBytes { try ahead!.read(into: $0) }
      ahead = nil  // the thread is blocked on a full ring; it must stop
      #expect(ahead == nil)
    }
  }

  @Test func openerReadsAheadOnlyWhenAsked() throws {
    let compressed = try Self.frames()
    let plain = try InputOpener.open(MemorySource(compressed), readAhead: false)
    let ahead = try InputOpener.open(MemorySource(compressed), readAhead: true)
    #expect(!(plain.source is ReadAheadSource))
    #expect(ahead.source is ReadAheadSource)
    #expect(try drain(ahead.source) == drain(plain.source))
    #expect(ahead.raw.rawBytesRead == compressed.count)
    let gz = try InputOpener.open(
      MemorySource(try gzipCompress(Array("{}\n".utf8))), readAhead: true)
    #expect(try drain(gz.source) == Array("{}\n".utf8))
    let text = try InputOpener.open(MemorySource(Array("{}\n".utf8)), readAhead: true)
    #expect(!(text.source is ReadAheadSource))  // plain input: nothing to overlap
  }
}
