// manifest.json: round trip, deterministic bytes, validity against Schemas/manifest.schema.json,
// and rejection of malformed manifests with the field named.

import Corpus
import Foundation
import Testing

@testable import TokenShards

@Suite struct ShardManifestTests {
  let tok = ByteTestTokenizer()

  func build(_ kind: TargetKind) throws -> String {
    let dir = temporaryDirectory()
    let config = TargetConfig(kind: kind, maxLength: 30, validationFraction: 0.25)
    let writer = try ShardDirectoryWriter(
      directory: dir, header: ShardHeader(config: config, tokenizer: tok))
    let pipeline = try TargetPipeline(tokenizer: tok, config: config)
    let records = (0..<9).map {
      PreferenceRecord(
        source: "t:\($0)", prompt: "a fairly long prompt number \($0)", chosen: "yes",
        rejected: "no")
    }
    try pipeline.process(records, into: writer)
    try writer.finish(
      summary: pipeline.summary(upstream: .object([(key: "records", value: .int(9))])))
    return dir
  }

  @Test(arguments: TargetKind.allCases)
  func manifestMatchesTheSchema(kind: TargetKind) throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
    let schema = try JSONSchema(
      contentsOf: root.appendingPathComponent("Schemas/manifest.schema.json").path)
    let manifest = try JSONParser.parse(readFile(try build(kind) + "/manifest.json"))
    #expect(schema.validate(manifest) == [])
  }

  @Test func roundTripsAndIsDeterministic() throws {
    let a = try build(.seq2seq)
    let b = try build(.seq2seq)
    #expect(readFile(a + "/manifest.json") == readFile(b + "/manifest.json"))
    let parsed = try ShardManifest.decode(readFile(a + "/manifest.json"), path: "m")
    #expect(parsed.encoded() == readFile(a + "/manifest.json"))
    #expect(parsed.summary.accounting["truncation"]?["prompts_cut"]?.intValue ?? 0 > 0)
    #expect(parsed.files.map(\.name) == parsed.files.map(\.name).sorted())
  }

  @Test func malformedManifestNamesTheField() {
    let bytes = Array(#"{"schema":"seq2seqrm.shards/1","tool":{"version":"0"}}"#.utf8)
    #expect(
      throws: ShardError.invariantViolated(
        path: "m", detail: "field 'config' is missing or invalid")
    ) { try ShardManifest.decode(bytes, path: "m") }
  }
}
