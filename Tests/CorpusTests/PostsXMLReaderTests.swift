// PostsXMLReader's errors and where they point: a dump cut off inside a row or before </posts>
// (a truncated download: named as such, never libxml2's "Extra content at the end of the
// document"), with and without recover, and a broken row after many good lines.

import Corpus
import Testing

/// Serves `bytes` to the reader in pieces of at most `chunk` bytes.
private final class ByteFeed {
  let bytes: [UInt8]
  let chunk: Int
  var offset = 0

  init(_ text: String, chunk: Int) {
    bytes = Array(text.utf8)
    self.chunk = chunk
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let count = min(buffer.count, chunk, bytes.count - offset)
    bytes[offset..<(offset + count)].withUnsafeBytes { buffer.copyMemory(from: $0) }
    offset += count
    return count
  }
}

/// The row lines `text` yields and the errors recover mode cut out.
private func rows(_ text: String, recover: Bool = false, chunk: Int = 4096) throws -> (
  lines: [Int], recovered: [XMLRecoveredError]
) {
  let feed = ByteFeed(text, chunk: chunk)
  let reader = PostsXMLReader(name: "Posts.xml", recover: recover) { feed.read(into: $0) }
  var lines: [Int] = []
  try reader.forEachRow { lines.append($0.line) }
  return (lines, reader.recovered)
}

/// A declaration, `<posts>` and `count` question rows (rows on lines 3 … count + 2).
private func bigDump(rows count: Int) -> [String] {
  [#"<?xml version="1.0" encoding="utf-8"?>"#, "<posts>"]
    + (1...count).map { #"  <row Id="\#($0)" PostTypeId="1" Score="1" Title="T" Body="q\#($0)"/>"# }
}

private let truncationAdvice = "truncated download? check its size against the dump's listing"

@Suite struct PostsXMLReaderTests {
  /// The first 300 bytes of k09.xml end inside the third row, on line 4 (the first repro).
  @Test(arguments: [4096, 7])
  func cutInsideARowIsReportedAsTruncatedAtTheEndOfTheFile(chunk: Int) throws {
    let text = String(decoding: Array(k09.utf8.prefix(300)), as: UTF8.self)
    let error = #expect(throws: CorpusError.self) { try rows(text, chunk: chunk) }
    let location = InputLocation(path: "Posts.xml", line: 4, column: 47, byteOffset: 300)
    #expect(
      error == .truncatedXML(location, detail: "inside the <row …> on line 4", recovering: false))
    #expect(
      error?.description
        == "Posts.xml:4:47 @ byte 300: the file ends early, inside the <row …> on line 4: "
        + truncationAdvice + ", or pass --xml-recover to keep the rows before the cut")
  }

  /// k09.xml without its last line (the second repro): every row is complete.
  @Test func missingRootEndTagIsReportedAsTruncated() throws {
    let text = k09.split(separator: "\n").dropLast().joined(separator: "\n") + "\n"
    let error = #expect(throws: CorpusError.self) { try rows(text) }
    let location = InputLocation(
      path: "Posts.xml", line: 4, column: 120, byteOffset: text.utf8.count)
    #expect(error == .truncatedXML(location, detail: "before </posts>", recovering: false))
    #expect(error?.description.contains("Extra content") == false)
  }

  @Test func recoverKeepsTheCompleteRowsAndNamesTheCut() throws {
    let text = String(decoding: Array(k09.utf8.prefix(300)), as: UTF8.self)
    let result = try rows(text, recover: true)
    #expect(result.lines == [2, 3])
    let cut = try #require(result.recovered.first)
    #expect(result.recovered.count == 1)
    #expect(cut.lines == 4...4)
    #expect(cut.column == 47)
    #expect(
      cut.reason
        == "the file ends early, inside the <row …> on line 4 (after 300 bytes): "
        + truncationAdvice)
    let open = k09.split(separator: "\n").dropLast().joined(separator: "\n") + "\n"
    let all = try rows(open, recover: true)
    #expect(all.lines == [2, 3, 4])
    #expect(
      all.recovered.map(\.reason) == [
        "the file ends early, before </posts> (after \(open.utf8.count) bytes): " + truncationAdvice
      ])
  }

  /// libxml2 reads ahead of the rows it delivers: the rows it had read but not yet delivered when
  /// the cut stopped it are still delivered, and only the partial row is cut out.
  @Test func recoverDeliversEveryCompleteRowOfALargeCutDump() throws {
    var lines = bigDump(rows: 2000)
    lines[lines.count - 1] = String(lines[lines.count - 1].prefix(30))
    let result = try rows(lines.joined(separator: "\n"), recover: true)
    #expect(result.lines == Array(3...2001))
    #expect(result.recovered.map(\.lines) == [2002...2002])
    #expect(result.recovered.map(\.column) == [31])
  }

  /// A broken row after 1,498 good ones: the line is the document's, not a read buffer's.
  @Test(arguments: [4096, 512, 7])
  func brokenRowInTheMiddleReportsItsLine(chunk: Int) throws {
    var lines = bigDump(rows: 2000) + ["</posts>"]
    lines.insert(#"  <row Id="x" PostTypeId="1" Score="1" Title="T" Body="bad<"/>"#, at: 1500)
    let text = lines.joined(separator: "\n") + "\n"
    let error = #expect(throws: CorpusError.self) { try rows(text, chunk: chunk) }
    #expect(
      error?.description
        == "Posts.xml:1501:59: XML is not well-formed: Couldn't find end of Start Tag row; "
        + "fix the file or pass --xml-recover to skip the broken row")
    // With recover: the broken row is cut, the rest kept, and a cut at the end named too.
    lines[lines.count - 1] = "  <row Id=\"9"
    let result = try rows(lines.joined(separator: "\n"), recover: true, chunk: chunk)
    #expect(result.lines.count == 2000)
    #expect(result.recovered.map(\.lines) == [1501...1501, 2004...2004])
    #expect(result.recovered.last?.reason.hasPrefix("the file ends early, inside the <row") == true)
  }

  /// Chunks of 3 bytes split `</posts>` between reads.
  @Test(arguments: [4096, 3])
  func trailingBlankLinesAndContentAfterTheRootAreNotTruncation(chunk: Int) throws {
    #expect(try rows(k09 + "\n\n  \n", chunk: chunk).lines == [2, 3, 4])
    let error = #expect(throws: CorpusError.self) { try rows(k09 + "\n<row/>\n", chunk: chunk) }
    guard case .malformedXML(let at, _, let recovering) = error else {
      Issue.record("expected malformedXML, got \(String(describing: error))")
      return
    }
    #expect(at.line == 6)
    #expect(!recovering)
  }
}
