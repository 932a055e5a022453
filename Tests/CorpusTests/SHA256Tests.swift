// SHA-256 against the FIPS 180-4 examples, and record ids / split against values computed by hand
// with Python's hashlib over the documented canonical encoding.

import Testing

@testable import Corpus

@Suite struct SHA256Tests {
  @Test func fipsVectors() {
    #expect(
      SHA256.hash("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hash("").hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      SHA256.hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").hex
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func incrementalEqualsOneShot() {
    let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    var h = SHA256()
    h.update(Array(data[0..<7]))
    h.update(Array(data[7..<300]))
    h.update(Array(data[300...]))
    #expect(h.finalize() == SHA256.hash(data))
  }
}

@Suite struct RecordIDTests {
  // python3: hashlib.sha256(b''.join(len(x).to_bytes(8,'little')+x for x in [b'Hi',b' A',b' B'])).hexdigest()[:16]
  @Test func idOfKnownTriple() {
    #expect(RecordID.make(prompt: "Hi", chosen: " A", rejected: " B") == "526f40ed05317987")
  }

  @Test func splitRule() {
    #expect(RecordID.isValidation(id: "0000000000000000", fraction: 0.05))
    // 0.05 · 2^64 ≈ 0x0ccccccccccccccc.c
    #expect(!RecordID.isValidation(id: "0ccccccccccccccd", fraction: 0.05))
    #expect(RecordID.isValidation(id: "0ccccccccccccc00", fraction: 0.05))
    #expect(!RecordID.isValidation(id: "ffffffffffffffff", fraction: 0.99))
    #expect(!RecordID.isValidation(id: "0000000000000000", fraction: 0))
  }
}

@Suite struct SHA256ReferenceTests {
  /// The optimised block function equals the textbook one on pseudo-random blocks and states.
  @Test func optimizedCompressionMatchesReference() {
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return seed >> 11
    }
    for _ in 0..<200 {
      let block = (0..<64).map { _ in UInt8(truncatingIfNeeded: next()) }
      let s = (0..<8).map { _ in UInt32(truncatingIfNeeded: next()) }
      let state = (s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7])
      let a = SHA256.compressReference(state: state, block: block)
      for hardware in [false, SHA256.hasHardware] {
        let b = SHA256.compressOptimized(state: state, block: block, hardware: hardware)
        #expect(
          [a.0, a.1, a.2, a.3, a.4, a.5, a.6, a.7] == [b.0, b.1, b.2, b.3, b.4, b.5, b.6, b.7])
      }
    }
  }

  /// The stack-padded `finalize` equals the array-padded reference for every length that gives a
  /// different padding (0…200 bytes covers each partial-block size more than twice).
  @Test func finalizeMatchesItsReferenceAtEveryLength() {
    let data = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    for length in 0...data.count {
      var fast = SHA256()
      fast.update(Array(data[..<length]))
      var reference = fast
      #expect(fast.finalize() == reference.finalizeReference(), "length \(length)")
    }
  }

  /// Splitting the input at every offset gives the same digest (partial-block bookkeeping).
  @Test func everySplitGivesTheSameDigest() {
    let data = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
    let whole = SHA256.hash(data)
    for cut in 0...data.count {
      var h = SHA256()
      h.update(Array(data[..<cut]))
      h.update(Array(data[cut...]))
      #expect(h.finalize() == whole)
    }
  }
}
