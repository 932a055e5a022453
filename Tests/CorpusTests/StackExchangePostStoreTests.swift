// The spill store: blobs read back byte-exact whether they stayed in memory or went to the
// unlinked temp file, and the blob field encoding round-trips absent fields.

import Testing

@testable import Corpus

@Suite struct StackExchangePostStoreTests {
  @Test(arguments: [0, 1 << 30])
  func blobsReadBackWhereverTheyLive(limit: Int) throws {
    let store = SpillableTextStore(memoryLimit: limit)
    var refs: [(SpillableTextStore.Ref, [UInt8])] = []
    for k in 0..<2000 {
      let blob = BlobFields.encode([
        "post \(k) " + String(repeating: "é", count: k % 97), nil, "CC BY-SA 4.0",
      ])
      refs.append((try store.append(blob), blob))
    }
    let empty = try store.append([])
    #expect(try store.read(empty) == [])
    #expect(store.hasSpilled == (limit == 0))
    for (ref, blob) in refs.reversed() { #expect(try store.read(ref) == blob) }
    #expect(BlobFields.decode(refs[5].1) == ["post 5 ééééé", nil, "CC BY-SA 4.0"])
  }
}
