// Reading a part sequence by sequence gives what was written, and an id beyond the vocabulary is
// named with its sequence.

import Testing

@testable import TokenShards

@Suite struct ShardPartReaderTests {
  func part(_ sequences: [[UInt32]]) throws -> (dir: String, index: MegatronIndex) {
    let dir = temporaryDirectory()
    let tokens = try MegatronWriter(directory: dir, prefix: "P", dtype: .uint16, idLimit: 1000)
    let mask = try MegatronWriter(directory: dir, prefix: "P_mask", dtype: .uint8, idLimit: 2)
    for ids in sequences {
      try tokens.append(ids)
      try mask.append(bytes: ids.map { UInt8($0 % 2) })
      try tokens.endDocument()
      try mask.endDocument()
    }
    _ = try tokens.finish()
    _ = try mask.finish()
    return (dir, try MegatronIndex.decode(readFile(dir + "/P.idx"), path: "P.idx"))
  }

  @Test func readsBackEverySequence() throws {
    let sequences: [[UInt32]] = [[5, 6, 7], [], [999, 1], [3]]
    let (dir, index) = try part(sequences)
    let reader = try ShardPartReader(
      index: index, binPath: dir + "/P.bin", maskPath: dir + "/P_mask.bin", vocabularySize: 1000)
    for ids in sequences {
      #expect(
        try reader.nextSequence() == TokenSequence(tokens: ids, mask: ids.map { UInt8($0 % 2) }))
    }
    #expect(reader.position == 4)
  }

  @Test func idBeyondTheVocabularyIsNamed() throws {
    let (dir, index) = try part([[5], [999, 1]])
    let reader = try ShardPartReader(
      index: index, binPath: dir + "/P.bin", maskPath: dir + "/P_mask.bin", vocabularySize: 500)
    _ = try reader.nextSequence()
    #expect(
      throws: ShardError.tokenOutOfRange(
        path: dir + "/P.bin", id: 999, limit: 500, detail: "sequence 1")
    ) { try reader.nextSequence() }
  }
}
