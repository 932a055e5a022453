// SHA-256 (FIPS 180-4), streaming. Used for record ids, tokenizer and shard checksums, lineage.
// Big-endian message schedule as the standard says; digests print as lowercase hex. Whole blocks go
// to SHA-NI (Sources/CSHA256) when the CPU has it, else to the portable Swift loop.

import CSHA256

/// An incremental SHA-256 hasher.
///
///     var h = SHA256(); h.update(Array("abc".utf8)); h.finalize().hex
///     // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// - Complexity: O(n) in the bytes hashed.
public struct SHA256: Sendable {
  private static let k: [UInt32] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]

  private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  )
  /// Pending bytes of a partial block (a tuple, so a hasher never allocates).
  private var block:
    (
      UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
    ) = (0, 0, 0, 0, 0, 0, 0, 0)
  private var blockCount = 0
  private var totalBytes: UInt64 = 0

  /// A fresh hasher.
  public init() {}

  /// Feeds bytes.
  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    totalBytes &+= UInt64(bytes.count)
    var i = 0
    if blockCount > 0 {
      let take = min(64 - blockCount, bytes.count)
      withUnsafeMutableBytes(of: &block) { pending in
        (pending.baseAddress! + blockCount).copyMemory(from: base, byteCount: take)
      }
      blockCount += take
      i = take
      if blockCount < 64 { return }
      var full = block
      withUnsafeBytes(of: &full) { compressBlocks($0.baseAddress!, count: 1) }
      blockCount = 0
    }
    let whole = (bytes.count - i) / 64
    if whole > 0 {
      compressBlocks(base + i, count: whole)
      i += whole * 64
    }
    let rest = bytes.count - i
    if rest > 0 {
      withUnsafeMutableBytes(of: &block) { pending in
        pending.baseAddress!.copyMemory(from: base + i, byteCount: rest)
      }
      blockCount = rest
    }
  }

  /// Feeds bytes.
  public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

  /// Feeds the UTF-8 bytes of a string (without copying when the string is native).
  public mutating func update(_ text: String) {
    var text = text
    text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
  }

  /// Pads, finishes and returns the 32-byte digest. The hasher should not be used afterwards.
  /// The padding (0x80, zeros, the 64-bit big-endian bit length: at most 72 bytes) is built on
  /// the stack, so the only allocation is the digest's array (`finalizeReference` is the plain
  /// statement of the same padding, kept as the test oracle).
  public mutating func finalize() -> SHA256Digest {
    let bitLength = totalBytes &* 8
    let padZeros = (64 + 56 - (blockCount + 1) % 64) % 64
    var tail: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (
      0, 0, 0, 0, 0, 0, 0, 0, 0
    )
    let savedTotal = totalBytes
    withUnsafeMutableBytes(of: &tail) { bytes in
      bytes[0] = 0x80
      bytes.storeBytes(of: bitLength.bigEndian, toByteOffset: 1 + padZeros, as: UInt64.self)
      update(UnsafeRawBufferPointer(rebasing: bytes[..<(1 + padZeros + 8)]))
    }
    totalBytes = savedTotal
    let words = state
    let out = [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
      withUnsafeBytes(of: words) { raw in
        for i in 0..<8 {
          let word = raw.load(fromByteOffset: 4 * i, as: UInt32.self)
          buffer[4 * i] = UInt8(word >> 24)
          buffer[4 * i + 1] = UInt8((word >> 16) & 0xFF)
          buffer[4 * i + 2] = UInt8((word >> 8) & 0xFF)
          buffer[4 * i + 3] = UInt8(word & 0xFF)
        }
      }
      count = 32
    }
    return SHA256Digest(bytes: out)
  }

  /// Reference for `finalize`: the padding and digest built with plain arrays.
  mutating func finalizeReference() -> SHA256Digest {
    let bitLength = totalBytes &* 8
    var tail: [UInt8] = [0x80]
    let padZeros = (64 + 56 - (blockCount + 1) % 64) % 64
    tail += [UInt8](repeating: 0, count: padZeros)
    for shift in stride(from: 56, through: 0, by: -8) {
      tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
    }
    let savedTotal = totalBytes
    update(tail)
    totalBytes = savedTotal
    var out: [UInt8] = []
    for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
      out += [
        UInt8(word >> 24), UInt8((word >> 16) & 0xFF), UInt8((word >> 8) & 0xFF),
        UInt8(word & 0xFF),
      ]
    }
    return SHA256Digest(bytes: out)
  }

  /// The digest of `bytes` in one call.
  public static func hash(_ bytes: [UInt8]) -> SHA256Digest {
    var h = SHA256()
    h.update(bytes)
    return h.finalize()
  }

  /// The digest of a string's UTF-8 bytes in one call.
  public static func hash(_ text: String) -> SHA256Digest { hash(Array(text.utf8)) }

  @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x >> n) | (x << (32 - n))
  }

  // Performance notes (2026-12-03, 2-core AMD EPYC, release): the first version allocated a
  // [UInt32](64) schedule per block and read `k` through array bounds checks: ~60 MB/s. The
  // schedule now lives in a stack buffer (withUnsafeTemporaryAllocation), `k` is read through an
  // unsafe pointer, and whole blocks are hashed straight from the caller's buffer.
  // `compressReference` below is the textbook version, kept as the test oracle.

  /// True when the CPU has the SHA extensions (checked once).
  static let hasHardware = csha256_has_hardware() == 1

  /// Hashes `count` whole 64-byte blocks starting at `data` (SHA-NI when available).
  private mutating func compressBlocks(_ data: UnsafeRawPointer, count: Int) {
    if Self.hasHardware {
      withUnsafeMutableBytes(of: &state) { words in
        csha256_hardware_blocks(
          words.baseAddress!.assumingMemoryBound(to: UInt32.self),
          data.assumingMemoryBound(to: UInt8.self), count)
      }
      return
    }
    compressBlocksPortable(data, count: count)
  }

  /// H0…H7 before the first block (FIPS 180-4 §5.3.3).
  static let initialState: [UInt32] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]

  /// Compresses `blocks` whole blocks at `data` into the eight state words at `words` (host
  /// order): SHA-NI when available, else the portable loop. For SHA256Batch.
  static func compress(_ words: UnsafeMutablePointer<UInt32>, _ data: UnsafeRawPointer, blocks: Int)
  {
    var hasher = SHA256()
    withUnsafeMutableBytes(of: &hasher.state) {
      $0.copyMemory(from: UnsafeRawBufferPointer(start: words, count: 32))
    }
    hasher.compressBlocks(data, count: blocks)
    withUnsafeBytes(of: hasher.state) {
      UnsafeMutableRawPointer(words).copyMemory(from: $0.baseAddress!, byteCount: 32)
    }
  }

  /// Bytes waiting in the partial block (0 when the next byte fed starts a block).
  var pendingByteCount: Int { blockCount }

  /// Compresses `blocks` whole blocks at `a` into `first` and as many at `b` into `second` with
  /// two interleaved SHA-NI streams, and counts them as fed. Both hashers must have no pending
  /// bytes and the CPU must have SHA-NI (`hasHardware`). For SHA256+TwoLanes.
  static func compressTwo(
    _ first: inout SHA256, _ a: UnsafeRawPointer, _ second: inout SHA256, _ b: UnsafeRawPointer,
    blocks: Int
  ) {
    withUnsafeMutableBytes(of: &first.state) { wordsA in
      withUnsafeMutableBytes(of: &second.state) { wordsB in
        csha256_hardware_blocks_x2(
          wordsA.baseAddress!.assumingMemoryBound(to: UInt32.self),
          a.assumingMemoryBound(to: UInt8.self),
          wordsB.baseAddress!.assumingMemoryBound(to: UInt32.self),
          b.assumingMemoryBound(to: UInt8.self), blocks)
      }
    }
    first.totalBytes &+= UInt64(blocks * 64)
    second.totalBytes &+= UInt64(blocks * 64)
  }

  /// The portable Swift block loop (no SHA extensions).
  private mutating func compressBlocksPortable(_ data: UnsafeRawPointer, count: Int) {
    var st = state
    Self.k.withUnsafeBufferPointer { kk in
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
        for blockIndex in 0..<count {
          let chunk = data + blockIndex * 64
          for t in 0..<16 {
            w[t] = UInt32(bigEndian: chunk.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
          }
          for t in 16..<64 {
            let x = w[t - 15]
            let y = w[t - 2]
            let s0 = Self.rotr(x, 7) ^ Self.rotr(x, 18) ^ (x >> 3)
            let s1 = Self.rotr(y, 17) ^ Self.rotr(y, 19) ^ (y >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
          }
          var (a, b, c, d, e, f, g, h) = st
          for t in 0..<64 {
            let s1 = Self.rotr(e, 6) ^ Self.rotr(e, 11) ^ Self.rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ ch &+ kk[t] &+ w[t]
            let s0 = Self.rotr(a, 2) ^ Self.rotr(a, 13) ^ Self.rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            h = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ s0 &+ maj
          }
          st = (
            st.0 &+ a, st.1 &+ b, st.2 &+ c, st.3 &+ d, st.4 &+ e, st.5 &+ f, st.6 &+ g, st.7 &+ h
          )
        }
      }
    }
    state = st
  }

  /// The textbook compression function (FIPS 180-4 §6.2.2) on one block: the reference the
  /// optimised `compressBlocks` is tested against.
  static func compressReference(
    state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32), block chunk: [UInt8]
  ) -> (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) {
    var w = [UInt32](repeating: 0, count: 64)
    for t in 0..<16 {
      w[t] =
        UInt32(chunk[4 * t]) << 24 | UInt32(chunk[4 * t + 1]) << 16 | UInt32(chunk[4 * t + 2]) << 8
        | UInt32(chunk[4 * t + 3])
    }
    for t in 16..<64 {
      let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
      let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
      w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
    }
    var (a, b, c, d, e, f, g, h) = state
    for t in 0..<64 {
      let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
      let ch = (e & f) ^ (~e & g)
      let t1 = h &+ s1 &+ ch &+ k[t] &+ w[t]
      let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
      let maj = (a & b) ^ (a & c) ^ (b & c)
      let t2 = s0 &+ maj
      (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
    }
    return (
      state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
      state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h
    )
  }

  /// Test hook: the state after one block, through the hardware (`hardware: true`, when the CPU
  /// has it) or the portable optimised path.
  static func compressOptimized(
    state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32), block: [UInt8],
    hardware: Bool
  ) -> (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) {
    var hasher = SHA256()
    hasher.state = state
    block.withUnsafeBytes { raw in
      if hardware {
        hasher.compressBlocks(raw.baseAddress!, count: 1)
      } else {
        hasher.compressBlocksPortable(raw.baseAddress!, count: 1)
      }
    }
    return hasher.state
  }
}

/// A finished SHA-256 digest.
public struct SHA256Digest: Sendable, Equatable, Hashable {
  /// The 32 digest bytes.
  public let bytes: [UInt8]
  /// Lowercase hex, 64 characters.
  public var hex: String {
    let digits: StaticString = "0123456789abcdef"
    var text: [UInt8] = []
    text.reserveCapacity(2 * bytes.count)
    for b in bytes {
      text.append(digits.utf8Start[Int(b >> 4)])
      text.append(digits.utf8Start[Int(b & 0xF)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
