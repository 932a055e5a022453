// The buffered forward reader behind streaming verify and document iteration: pieces across the
// 1 MiB buffer boundary, an early end named, chunks that hash to the whole file.

import Corpus
import Testing

@testable import TokenShards

@Suite struct SequentialFileReaderTests {
  let bytes: [UInt8] = (0..<(3 << 20) + 123).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

  func file() -> String {
    let path = temporaryDirectory() + "/data.bin"
    writeFile(path, bytes)
    return path
  }

  @Test func piecesOfAnySizeReassembleTheFile() throws {
    let reader = try SequentialFileReader(path: file())
    var out: [UInt8] = []
    var size = 1
    while out.count < bytes.count {
      let piece = min(size, bytes.count - out.count)
      out += try reader.read(piece)
      size = size * 3 + 1  // 1, 4, 13, … crosses the buffer boundary at uneven offsets
    }
    #expect(out == bytes)
    #expect(
      throws: ShardError.badHeader(
        path: reader.path, expected: "1 more bytes", found: "end of file")
    ) {
      try reader.read(1)
    }
  }

  @Test func chunksHashToTheWholeFile() throws {
    let reader = try SequentialFileReader(path: file())
    var hasher = Corpus.SHA256()
    var total = 0
    try reader.forEachChunk {
      hasher.update($0)
      total += $0.count
    }
    #expect(total == bytes.count)
    #expect(hasher.finalize().hex == sha256Hex(bytes))
  }

  @Test func missingFileIsNamed() {
    #expect(throws: ShardError.missingFile(path: "/nonexistent/x.bin")) {
      try SequentialFileReader(path: "/nonexistent/x.bin")
    }
  }
}
