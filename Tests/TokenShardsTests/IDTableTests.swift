// `IDTable` against its reference `Set<UInt64>`: the same insert results and membership for
// random ids, ids with a regular pattern (multiples of 2^32, consecutive), repeats, the id 0 and
// `UInt64.max`, across the table's growth from its smallest size.

import Testing

@testable import TokenShards

@Suite struct IDTableTests {
  /// Inserts `ids` into an `IDTable` of `capacity` and a `Set`, comparing each insert's result,
  /// then asks both about the ids and about `probes`.
  func expectSameAsSet(_ ids: [UInt64], capacity: Int, probes: [UInt64]) {
    var table = IDTable(capacity: capacity)
    var reference = Set<UInt64>()
    for id in ids {
      #expect(table.insert(id) == reference.insert(id).inserted, "insert \(id)")
    }
    #expect(table.count == reference.count)
    for id in ids + probes {
      #expect(table.contains(id) == reference.contains(id), "contains \(id)")
    }
  }

  @Test func equalsTheSetReference() {
    var state: UInt64 = 11
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state
    }
    let random = (0..<3000).map { _ in next() }
    let patterned = (0..<1500).map { UInt64($0) << 32 } + (0..<1500).map { UInt64($0) }
    let edges: [UInt64] = [0, .max, 0, 1, .max, 1 << 63]
    let probes = (0..<2000).map { _ in next() } + [0, .max, 2, 3 << 32, 1 << 62]
    for capacity in [0, 1, 100, 10_000] {
      expectSameAsSet(random, capacity: capacity, probes: probes)
      expectSameAsSet(patterned, capacity: capacity, probes: probes)
      expectSameAsSet(edges, capacity: capacity, probes: probes)
      // Repeats: every id inserted twice, the second time refused.
      expectSameAsSet(Array(random[0..<500] + random[0..<500]), capacity: capacity, probes: probes)
      expectSameAsSet([], capacity: capacity, probes: probes)
    }
  }

  @Test func formUnionInsertsEveryID() {
    var table = IDTable()
    table.formUnion([5, 0, 5, 7])
    #expect(table.count == 3)
    #expect(table.contains(0) && table.contains(5) && table.contains(7) && !table.contains(6))
  }
}
