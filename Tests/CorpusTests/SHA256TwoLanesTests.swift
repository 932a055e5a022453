// SHA256+TwoLanes against its reference, each hasher fed alone: the pair update over every length
// around the block boundaries with and without pending bytes carried in, and the feed scheduler
// over random segment lists (empty segments and feeds, lanes finishing apart, an odd count), plus
// one exact digest.

import Testing

@testable import Corpus

@Suite struct SHA256TwoLanesTests {
  static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
    SHA256BatchTests.bytes(count, seed: seed)
  }

  /// A hasher that already holds `count` bytes (so `count % 64` are pending).
  static func started(_ count: Int, seed: UInt64) -> SHA256 {
    var h = SHA256()
    h.update(bytes(count, seed: seed))
    return h
  }

  @Test func exactDigestOfTwoMessages() {
    var first = SHA256()
    var second = SHA256()
    let abc = Array("abc".utf8)
    let long = [UInt8](repeating: 0x61, count: 1000)
    abc.withUnsafeBytes { a in long.withUnsafeBytes { b in SHA256.update(&first, a, &second, b) } }
    #expect(
      first.finalize().hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    // sha256 of 1000 × "a" (sha256sum).
    #expect(
      second.finalize().hex == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  }

  @Test func pairUpdateEqualsTwoUpdates() {
    // Lengths around 0, 1, 2 and 3 blocks, with 0, 1, 63 and 64 + 5 bytes fed before.
    let lengths = [0, 1, 55, 63, 64, 65, 119, 127, 128, 129, 191, 192, 200, 1000]
    for pendingA in [0, 1, 63, 69] {
      for pendingB in [0, 5, 64] {
        for la in lengths {
          for lb in lengths {
            let a = Self.bytes(la, seed: UInt64(la))
            let b = Self.bytes(lb, seed: UInt64(1000 + lb))
            var first = Self.started(pendingA, seed: 7)
            var second = Self.started(pendingB, seed: 8)
            var firstAlone = first
            var secondAlone = second
            a.withUnsafeBytes { ra in
              b.withUnsafeBytes { rb in
                SHA256.update(&first, ra, &second, rb)
                firstAlone.update(ra)
                secondAlone.update(rb)
              }
            }
            // Fed again: the pending bytes left by the pair update carry on correctly.
            let more = Self.bytes(70, seed: 9)
            first.update(more)
            firstAlone.update(more)
            #expect(
              first.finalize() == firstAlone.finalize(), "a: \(pendingA) + \(la), b: \(lb)")
            #expect(
              second.finalize() == secondAlone.finalize(), "b: \(pendingB) + \(lb), a: \(la)")
          }
        }
      }
    }
  }

  @Test(arguments: 0..<40)
  func feedsEqualTheReference(seed: Int) {
    // Deterministic random shapes: 0…5 feeds of 0…4 segments of 0…700 bytes, some hashers started.
    var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 3
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % bound
    }
    let shapes: [[Int]] = (0..<next(6)).map { _ in (0..<next(5)).map { _ in next(701) } }
    let data: [[[UInt8]]] = shapes.enumerated().map { f, lengths in
      lengths.enumerated().map { s, n in Self.bytes(n, seed: UInt64(100 * f + s)) }
    }
    let starts = shapes.indices.map { _ in next(3) == 0 ? next(130) : 0 }
    var expected: [SHA256Digest] = []
    var found: [SHA256Digest] = []
    withPointers(data) { segments in
      var reference = segments.indices.map {
        SHA256Feed(hasher: Self.started(starts[$0], seed: UInt64($0)), segments: segments[$0])
      }
      var feeds = reference
      SHA256.updateReference(&reference)
      SHA256.update(&feeds)
      expected = reference.map {
        var h = $0.hasher; return h.finalize()
      }
      found = feeds.map {
        var h = $0.hasher; return h.finalize()
      }
    }
    #expect(found == expected, "shapes \(shapes), started \(starts)")
  }

  /// Calls `body` with pointers to every segment of `data` (valid inside `body` only).
  func withPointers(_ data: [[[UInt8]]], _ body: ([[UnsafeRawBufferPointer]]) -> Void) {
    let flat = data.flatMap { $0 }
    var buffers: [UnsafeMutableRawBufferPointer] = []
    for segment in flat {
      let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: segment.count, alignment: 1)
      segment.withUnsafeBytes { copy.copyMemory(from: $0) }
      buffers.append(copy)
    }
    defer { for buffer in buffers { buffer.deallocate() } }
    var k = 0
    var grouped: [[UnsafeRawBufferPointer]] = []
    for feed in data {
      grouped.append(
        feed.map { _ in
          k += 1
          return UnsafeRawBufferPointer(buffers[k - 1])
        })
    }
    body(grouped)
  }
}
