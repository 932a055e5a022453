// Containers and codecs (K01–K03 live in KnownFaultsTests): sniffing by magic bytes, gzip and zstd
// round trips through our sinks, and truncation at every byte: a cut file either fails with the
// codec error or — only when cut exactly at a member/frame boundary — yields whole members.

import Corpus
import Testing

@Suite struct ContainerTests {
  @Test(
    arguments: [
      ([0x1F, 0x8B, 0x08], Container.gzip),
      ([0x28, 0xB5, 0x2F, 0xFD], .zstd),
      ([0x5E, 0x2A, 0x4D, 0x18, 0, 0, 0, 0], .zstd),  // skippable frame
      ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], .xz),
      ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], .sevenZip),
      (Array("version https://git-lfs.github.com/spec/v1\noid".utf8), .lfsPointer),
      (Array(#"{"a":1}"#.utf8), .plain),
      ([], .plain),
      ([0x1F], .plain),
    ] as [([UInt8], Container)])
  func sniffsByMagic(head: [UInt8], container: Container) {
    #expect(Container.sniff(head) == container)
  }

  @Test func gzipAndZstdRoundTripLargeInput() throws {
    var text: [UInt8] = []
    for i in 0..<20_000 { text += Array("{\"n\":\(i)}\n".utf8) }
    for compressed in [try gzipCompress(text), try zstdCompress(text)] {
      let opened = try InputOpener.open(MemorySource(compressed))
      #expect(try drain(opened.source, chunk: 4093) == text)
    }
  }

  @Test func truncationAtEveryByteIsAnErrorNeverASilentPrefix() throws {
    let text = Array("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n".utf8)
    for (codec, compressed) in [("gzip", try gzipCompress(text)), ("zstd", try zstdCompress(text))]
    {
      // Below 4 bytes a zstd magic is incomplete, and such a file is plain text by definition.
      for cut in 4..<compressed.count {
        let prefix = Array(compressed[0..<cut])
        let error = #expect(throws: CorpusError.self, "\(codec) cut at \(cut)") {
          _ = try drain(try InputOpener.open(MemorySource(prefix, name: "cut")).source)
        }
        if case .corruptCompressedStream(let at, let name, _) = error {
          #expect(name == codec)
          #expect(at.path == "cut")
          #expect(at.byteOffset != nil)
        } else {
          Issue.record("\(codec) cut at \(cut): unexpected \(String(describing: error))")
        }
      }
    }
  }

  @Test func gzipTrailingGarbageIsReportedWithOffset() throws {
    let compressed = try gzipCompress(Array("x\n".utf8))
    let error = #expect(throws: CorpusError.self) {
      _ = try drain(
        try InputOpener.open(MemorySource(compressed + [0x00, 0x01], name: "g")).source)
    }
    #expect(
      error
        == .corruptCompressedStream(
          InputLocation(path: "g", byteOffset: compressed.count), codec: "gzip",
          detail: "unexpected bytes after the last gzip member"))
  }

  @Test func lfsPointerAndXzAreReportedAsSuch() throws {
    let pointer = Array("version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 3\n".utf8)
    #expect(throws: CorpusError.gitLFSPointer(path: "p.jsonl.gz")) {
      _ = try InputOpener.open(MemorySource(pointer, name: "p.jsonl.gz"))
    }
    #expect(throws: CorpusError.unsupportedContainer(path: "a.xz", container: "xz")) {
      _ = try InputOpener.open(MemorySource([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 1], name: "a.xz"))
    }
  }

  @Test func outputCompressionFollowsTheName() {
    #expect(RecordOutput.container(forOutputPath: "a.jsonl.gz") == .gzip)
    #expect(RecordOutput.container(forOutputPath: "a.jsonl.zst") == .zstd)
    #expect(RecordOutput.container(forOutputPath: "a.jsonl") == .plain)
  }
}
