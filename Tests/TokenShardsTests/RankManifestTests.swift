// The rank manifest (`part-RRRRR-of-WWWWW.manifest.json`, INTEROP.md §5.3): exact JSON fields on a
// small example, the round trip through `decode`, refusals naming the bad field, and the part
// files' sha256 (hashed two at a time) equal to each file's own.

import Corpus
import Foundation
import Testing

@testable import TokenShards

@Suite struct RankManifestTests {
  private func example() -> RankManifest {
    var stats = TargetStats()
    stats.recordsIn = 3
    stats.recordsConverted = 2
    stats.dropped[.duplicate] = 1
    stats.recordsBySplit[.train] = 2
    var upstream = Accounting()
    upstream.read = 3
    upstream.written = 3
    upstream.files = 1
    upstream.rawBytes = 120
    upstream.decodedBytes = 120
    var lengths = LengthReport()
    lengths.prompt.add(4, times: 3)
    return RankManifest(
      planSHA256: String(repeating: "a", count: 64), rank: 1, worldSize: 3,
      inputRange: [
        .init(path: "b.jsonl", start: 40, end: 120, sha256: String(repeating: "b", count: 64))
      ],
      tokens: 345, dtypeCode: 8,
      outcome: RankOutcome(stats: stats, lengths: lengths, upstream: upstream, seenIDs: []),
      outputs: [
        ShardFile(
          name: "part-00001-of-00003/train.bin", bytes: 690,
          sha256: String(repeating: "c", count: 64))
      ],
      toolVersion: "test")
  }

  @Test func partFilesHashedTwoAtATimeEqualEachAlone() {
    // Odd count (the last file alone), empty file, lengths off the block boundary.
    let files: [[UInt8]] = [
      Array("abc".utf8), [], [UInt8](repeating: 0x61, count: 1000),
      (0..<300).map { UInt8($0 % 251) }, [0x0A],
    ]
    #expect(RankRunner.sha256(of: files) == files.map { SHA256.hash($0).hex })
    #expect(
      RankRunner.sha256(of: files)[0]
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(RankRunner.sha256(of: []) == [])
  }

  @Test func fieldsAndRoundTrip() throws {
    let manifest = example()
    let json = try JSONParser.parse(manifest.encoded())
    #expect(json["schema"]?.stringValue == "seq2seqrm.part/1")
    #expect(json["input_range"]?[0]?["path"]?.stringValue == "b.jsonl")
    #expect(json["input_range"]?[0]?["start"]?.intValue == 40)
    #expect(json["input_range"]?[0]?["end"]?.intValue == 120)
    #expect(json["tokens"]?.intValue == 345)
    #expect(json["records_in"]?.intValue == 3)
    #expect(json["pairs_out"]?.intValue == 2)
    #expect(json["targets"]?["dropped"]?["duplicate"]?.intValue == 1)
    #expect(try RankManifest.decode(manifest.encoded(), path: "m.json") == manifest)
  }

  @Test func decodeNamesTheBadField() throws {
    let text = String(decoding: example().encoded(), as: UTF8.self)
    for (from, to, field) in [
      (#""start": 40"#, #""start": 130"#, "input_range"),
      (#""tokens": 345"#, #""tokens": -1"#, "tokens"),
    ] {
      let broken = Array(text.replacingOccurrences(of: from, with: to).utf8)
      do {
        _ = try RankManifest.decode(broken, path: "m.json")
        Issue.record("accepted \(to)")
      } catch {
        #expect("\(error)".contains("m.json") && "\(error)".contains(field), "\(error)")
      }
    }
  }
}
