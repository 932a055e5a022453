// Pass 1's byte-level blob (StackExchangePost.blob) against the reference (decode the post, then
// BlobFields.encode its fields) on every question and answer row of the fixtures and of the
// shared real dumps (skipped with a message when absent), and on tag lists in both syntaxes.

import Foundation
import Testing

@testable import Corpus

@Suite struct StackExchangePostBlobTests {
  /// Compares blob and reference on every paired row; returns how many rows were compared.
  static func expectSameBlobs(_ path: String) throws -> Int {
    var compared = 0
    try forEachPostsRow(of: path) { row in
      guard let keys = try? StackExchangePost.decodeKeys(row),
        keys.postTypeId == StackExchangePost.question
          || keys.postTypeId == StackExchangePost.answer,
        let reference = try? StackExchangePost.referenceBlob(row)
      else { return }
      let blob = StackExchangePost.blob(
        row, isQuestion: keys.postTypeId == StackExchangePost.question)
      #expect(blob == reference, "\(path):\(row.line)")
      compared += 1
    }
    return compared
  }

  @Test func everyFixtureRowMatchesTheReference() throws {
    let directory = packageRoot().appendingPathComponent("Fixtures/stackexchange")
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".xml") }
    var compared = 0
    for file in files {
      compared += try Self.expectSameBlobs(directory.appendingPathComponent(file).path)
    }
    #expect(compared > 0)
  }

  @Test(arguments: ["stackexchange-french-meta", "stackexchange-datascience-meta-2024"])
  func everyRealDumpRowMatchesTheReference(site: String) throws {
    guard let path = sharedCorpus("\(site)/Posts.xml", filePath: #filePath) else { return }
    #expect(try Self.expectSameBlobs(path) > 300)
  }

  @Test(arguments: [
    "<swift><xml>", "|swift|xml|", "", "||", "<>", "<a>|<b>", "|a<b>|", "a|b", "<c++><c#>",
    "|r\r\n|x|", "<é><ü>", "|é|ü|", "<\u{338}a>", "x", "<<a>>",
  ])
  func tagsMatchParseTags(tags: String) {
    var out: [UInt8] = []
    var copy = tags
    copy.withUTF8 { StackExchangePost.appendTags($0, to: &out) }
    let parsed = StackExchangePost.parseTags(tags)
    #expect(out == BlobFields.encode([parsed.isEmpty ? nil : parsed.joined(separator: "|")]))
  }
}
