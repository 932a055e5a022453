// SHA256Batch.swift — many short messages (record ids) hashed together, two at a time.
//
// One SHA-256 message is one dependency chain: with SHA-NI, each sha256rnds2 waits for the one
// before it, and the unit sits idle most of the time (~1.4 GB/s on the 2-core AMD EPYC we measure
// on). Two independent messages in one loop (csha256_hardware_blocks_x2) keep it busy: ~2.1 GB/s.
// A record's id is one short message, so the ingest fast path collects the canonical contents of
// many records here and hashes them at once.
//
// Layout: every message is stored padded (FIPS 180-4 §5.1.1: 0x80, zeros, the 64-bit big-endian
// bit length), so it is a whole number of 64-byte blocks and hashing is block compression only.
// Two lanes each take the next message when theirs is done; a message's blocks run on the lane
// that took it, in order, so each digest is that of its message alone. Without SHA-NI every
// message goes through `SHA256.compress` one by one. The reference is `SHA256.hash` of each
// unpadded message (tested on exact small inputs: every length around the padding boundaries).

import CSHA256

/// Collects messages, then hashes them all with two interleaved SHA-NI streams.
///
///     var batch = SHA256Batch()
///     batch.append(a); batch.endMessage()
///     batch.append(b); batch.endMessage()
///     batch.computeDigests()      // batch.digest(0) == SHA256.hash(a), batch.digest(1) == …(b)
struct SHA256Batch {
  /// The padded messages, back to back.
  private var arena: [UInt8] = []
  /// Where the message being appended starts in `arena`.
  private var messageStart = 0
  /// Where each finished message starts in `arena` (its blocks run to the next start).
  private var starts: [Int] = []
  /// After `computeDigests`: H0…H7 of every message, eight words each, host order.
  private var words: [UInt32] = []

  /// Finished messages.
  var count: Int { starts.count }
  /// Bytes held (padded messages), to bound a batch.
  var byteCount: Int { arena.count }

  /// Appends bytes to the current message.
  mutating func append(_ bytes: UnsafeRawBufferPointer) { arena.appendBytes(bytes) }

  /// Appends `value` as 8 little-endian bytes (the canonical length prefix of a record field).
  mutating func appendLittleEndian(_ value: UInt64) {
    withUnsafeBytes(of: value.littleEndian) { arena.appendBytes($0) }
  }

  /// Lets `body` append to the current message directly (e.g. a decoder writing decoded bytes).
  /// `body` must only append: the bytes before it belong to finished messages.
  mutating func appendInPlace(_ body: (inout [UInt8]) -> Void) { body(&arena) }

  /// Ends the current message: pads it to whole blocks. The next append starts a new message.
  mutating func endMessage() {
    let length = arena.count - messageStart
    let zeros = (64 + 56 - (length + 1) % 64) % 64
    arena.append(0x80)
    Self.zeros.withUnsafeBytes { arena.appendBytes($0.baseAddress!, count: zeros) }
    appendBigEndian(UInt64(length) &* 8)
    starts.append(messageStart)
    messageStart = arena.count
  }

  /// Padding source: at most 63 zero bytes are needed.
  private static let zeros = [UInt8](repeating: 0, count: 64)

  private mutating func appendBigEndian(_ value: UInt64) {
    withUnsafeBytes(of: value.bigEndian) { arena.appendBytes($0) }
  }

  /// Hashes every finished message (a message being appended is ignored).
  mutating func computeDigests() {
    let n = starts.count
    words.removeAll(keepingCapacity: true)
    for _ in 0..<n { words.append(contentsOf: SHA256.initialState) }
    let end = messageStart
    let starts = self.starts
    arena.withUnsafeBytes { raw in
      words.withUnsafeMutableBufferPointer { state in
        let base = raw.baseAddress!
        let st = state.baseAddress!
        func blocks(_ i: Int) -> Int { ((i + 1 < n ? starts[i + 1] : end) - starts[i]) / 64 }
        guard SHA256.hasHardware else {
          for i in 0..<n { SHA256.compress(st + 8 * i, base + starts[i], blocks: blocks(i)) }
          return
        }
        var next = 0
        func take() -> Int {
          guard next < n else { return -1 }
          next += 1
          return next - 1
        }
        // Lane = (message index or -1, blocks of it already compressed).
        var a = (take(), 0)
        var b = (take(), 0)
        while a.0 >= 0 && b.0 >= 0 {
          let k = min(blocks(a.0) - a.1, blocks(b.0) - b.1)
          csha256_hardware_blocks_x2(
            st + 8 * a.0, (base + starts[a.0] + 64 * a.1).assumingMemoryBound(to: UInt8.self),
            st + 8 * b.0, (base + starts[b.0] + 64 * b.1).assumingMemoryBound(to: UInt8.self), k)
          a.1 += k
          b.1 += k
          if a.1 == blocks(a.0) { a = (take(), 0) }
          if b.1 == blocks(b.0) { b = (take(), 0) }
        }
        // At most one message is left (take() ran dry): finish it alone.
        for (m, done) in [a, b] where m >= 0 {
          SHA256.compress(st + 8 * m, base + starts[m] + 64 * done, blocks: blocks(m) - done)
        }
      }
    }
  }

  /// The first 8 digest bytes of message `i` as a big-endian number (its 16-hex-digit record id).
  /// Valid after `computeDigests`.
  func digestPrefix(_ i: Int) -> UInt64 {
    UInt64(words[8 * i]) << 32 | UInt64(words[8 * i + 1])
  }

  /// The full digest of message `i` (tests). Valid after `computeDigests`.
  func digest(_ i: Int) -> SHA256Digest {
    var bytes: [UInt8] = []
    for word in words[(8 * i)..<(8 * i + 8)] {
      bytes += [
        UInt8(word >> 24), UInt8((word >> 16) & 0xFF), UInt8((word >> 8) & 0xFF),
        UInt8(word & 0xFF),
      ]
    }
    return SHA256Digest(bytes: bytes)
  }

  /// Forgets all messages and digests (keeps the memory).
  mutating func removeAll() {
    arena.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    words.removeAll(keepingCapacity: true)
    messageStart = 0
  }
}
