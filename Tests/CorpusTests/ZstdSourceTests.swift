// ZstdSource's error offsets: a corrupt byte deep in frame 2 of a two-frame file is reported at the
// end of the block the decoder was reading (inside frame 2, naming the block and the frame), the
// same whether the bytes come straight from memory, through the 512-byte sniffing prefix, or from
// the read-ahead thread; a cut-off file names its length and the frame that was cut.

import Testing

@testable import Corpus

@Suite struct ZstdSourceTests {
  /// Two zstd frames of about 85 kB each of poorly compressible JSONL (several blocks per frame).
  /// Returns the bytes and the size of frame 1 (where frame 2 starts).
  static func twoFrames() throws -> (bytes: [UInt8], frame2: Int) {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var frames: [[UInt8]] = []
    for part in 0..<2 {
      var text = ""
      for n in 0..<8000 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        text += "{\"part\":\(part),\"n\":\(n),\"r\":\"\(String(state >> 11, radix: 36))\"}\n"
      }
      frames.append(try zstdCompress(Array(text.utf8)))
    }
    return (frames[0] + frames[1], frames[0].count)
  }

  /// How a test reads a zstd file: the decoder straight over memory, opened as `rmprep` opens a
  /// file (through the 512-byte sniffing prefix), or opened with the read-ahead thread.
  enum Route: CaseIterable {
    case direct, opened, readAhead
  }

  /// The error from reading `bytes` to the end by `route`.
  static func error(reading bytes: [UInt8], by route: Route) -> CorpusError? {
    #expect(throws: CorpusError.self, "\(route)") {
      let memory = MemorySource(bytes, name: "two.zst")
      let source =
        route == .direct
        ? try ZstdSource(memory)
        : try InputOpener.open(memory, readAhead: route == .readAhead).source
      _ = try drain(source, chunk: 4096)
    }
  }

  /// Frame and block boundaries of a zstd1 file, read from the headers (RFC 8878 §3.1.1): for
  /// each block, the start of its frame and its content (after its 3-byte header).
  static func blocks(_ bytes: [UInt8]) -> [(frame: Int, start: Int, end: Int)] {
    var out: [(frame: Int, start: Int, end: Int)] = []
    var at = 0
    while at < bytes.count {
      let frame = at
      let descriptor = Int(bytes[at + 4])
      let singleSegment = descriptor >> 5 & 1 == 1
      at += 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]
      at += [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6]
      var last = false
      while !last {
        let header = Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16
        last = header & 1 == 1
        let size = header >> 1 & 3 == 1 ? 1 : header >> 3
        out.append((frame, at + 3, at + 3 + size))
        at += 3 + size
      }
      at += descriptor >> 2 & 1 == 1 ? 4 : 0  // content checksum
    }
    return out
  }

  /// The input every test below damages: pinned, so a different libzstd shows up here first.
  @Test func twoFramesOfThreeBlocks() throws {
    let (bytes, frame2) = try Self.twoFrames()
    #expect((bytes.count, frame2) == (174_712, 87_458))
    let layout = Self.blocks(bytes).map { [$0.frame, $0.start, $0.end] }
    #expect(
      layout == [
        [0, 9, 38_275], [0, 38_278, 76_489], [0, 76_492, 87_454],
        [87_458, 87_467, 125_663], [87_458, 125_666, 163_807], [87_458, 163_810, 174_708],
      ])
  }

  /// A flipped byte and where the error must say the decoder stopped, with its detail.
  struct Damage: Sendable {
    var flip: Int
    var stoppedAt: Int
    var detail: String
  }

  static let damages = [
    // A byte of block 2 of frame 2 (125 666..<163 807, split across two 128 KiB input reads):
    // found while decoding that block, whose bytes and frame the error names; the decoder
    // stopped at the block's end plus the next block's header.
    Damage(
      flip: 125_668, stoppedAt: 163_810,
      detail: "Data corruption detected (found while decoding compressed bytes 125666..<163810;"
        + " the damage is there or earlier in the frame, which starts at byte 87458)"),
    // A literal byte of that block: it decodes, to the wrong text, so only the content checksum
    // finds it, at the frame's end.
    Damage(
      flip: 140_000, stoppedAt: 174_712,
      detail: "Restored data doesn't match checksum (found while decoding compressed bytes"
        + " 174708..<174712; the damage is there or earlier in the frame, which starts at byte"
        + " 87458)"),
  ]

  @Test(arguments: Route.allCases, damages)
  func damageInFrame2IsReportedWhereTheDecoderFoundIt(route: Route, damage: Damage) throws {
    var bytes = try Self.twoFrames().bytes
    bytes[damage.flip] ^= 0x01
    #expect(
      Self.error(reading: bytes, by: route)
        == .corruptCompressedStream(
          InputLocation(path: "two.zst", byteOffset: damage.stoppedAt), codec: "zstd",
          detail: damage.detail))
  }

  /// A file cut inside frame 2 ends at the cut, and the error names the frame that was cut.
  @Test(arguments: Route.allCases)
  func truncationInFrame2NamesTheCutAndTheFrame(route: Route) throws {
    let bytes = try Self.twoFrames().bytes
    #expect(
      Self.error(reading: Array(bytes[..<150_000]), by: route)
        == .corruptCompressedStream(
          InputLocation(path: "two.zst", byteOffset: 150_000), codec: "zstd",
          detail: "unexpected end of zstd frame (truncated file?); the frame starts at byte 87458"))
  }
}
