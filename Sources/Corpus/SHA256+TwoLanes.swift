// SHA256+TwoLanes.swift — several streaming messages hashed two at a time.
//
// One SHA-256 stream is one dependency chain: with SHA-NI each round waits for the one before, and
// the SHA unit sits idle most of the time. Two independent streams interleaved
// (csha256_hardware_blocks_x2, see SHA256Batch) hash about 1.5× the bytes per CPU second. Where a
// caller has two or more messages at hand — a file's sha256 and the running sha256 of the file it
// is copied into, or several files — it feeds them here instead of one after the other.
//
// `update(_:_:_:_:)` feeds two hashers at once: each first completes its pending partial block
// alone, then the whole blocks both have run through the two-lane loop, and the rest goes alone
// (it stays pending or runs single-lane). `update(_ feeds:)` runs a list of messages, each a hasher
// and its byte segments in order, on two lanes: each lane takes the next message when its own is
// done, and the lanes advance by the same byte count so their blocks stay paired. Without SHA-NI
// both are the plain `update` calls. The reference, `updateReference`, is exactly that: every
// digest must equal the one of feeding each hasher alone, for any lengths and pending bytes.

/// One message for `SHA256.update(_ feeds:)`: a hasher and the bytes to feed it, in order.
///
///     var feeds = [SHA256Feed(segments: [a]), SHA256Feed(segments: [b, c])]
///     SHA256.update(&feeds)   // feeds[1].hasher.finalize() == SHA256.hash(b + c)
public struct SHA256Feed {
  /// The hasher fed (it may already hold bytes; the segments continue its message).
  public var hasher: SHA256
  /// The bytes, in order. Borrowed: they must stay valid for the `update` call only.
  public var segments: [UnsafeRawBufferPointer]

  /// A feed continuing `hasher` (a fresh one by default).
  public init(hasher: SHA256 = SHA256(), segments: [UnsafeRawBufferPointer]) {
    self.hasher = hasher
    self.segments = segments
  }
}

extension SHA256 {
  /// Feeds `a` to `first` and `b` to `second`, the whole blocks they share on two interleaved
  /// SHA-NI lanes. Equal to `first.update(a); second.update(b)`.
  /// - Complexity: O(a.count + b.count).
  public static func update(
    _ first: inout SHA256, _ a: UnsafeRawBufferPointer, _ second: inout SHA256,
    _ b: UnsafeRawBufferPointer
  ) {
    guard hasHardware else {
      first.update(a)
      second.update(b)
      return
    }
    // 1. Complete each pending partial block alone.
    let headA = first.pendingByteCount == 0 ? 0 : min(64 - first.pendingByteCount, a.count)
    let headB = second.pendingByteCount == 0 ? 0 : min(64 - second.pendingByteCount, b.count)
    first.update(UnsafeRawBufferPointer(rebasing: a[0..<headA]))
    second.update(UnsafeRawBufferPointer(rebasing: b[0..<headB]))
    // 2. The whole blocks both have, together (a hasher still pending has run out of bytes).
    var restA = headA
    var restB = headB
    let blocks = min((a.count - headA) / 64, (b.count - headB) / 64)
    if blocks > 0 && first.pendingByteCount == 0 && second.pendingByteCount == 0 {
      compressTwo(&first, a.baseAddress! + headA, &second, b.baseAddress! + headB, blocks: blocks)
      restA += 64 * blocks
      restB += 64 * blocks
    }
    // 3. The rest alone.
    first.update(UnsafeRawBufferPointer(rebasing: a[restA...]))
    second.update(UnsafeRawBufferPointer(rebasing: b[restB...]))
  }

  /// Feeds every feed's segments to its hasher, two feeds at a time: equal to
  /// `updateReference(&feeds)`. Put the feeds that should pair up next to each other (a lane that
  /// finishes takes the next feed in order).
  /// - Complexity: O(total bytes).
  public static func update(_ feeds: inout [SHA256Feed]) {
    feeds.withUnsafeMutableBufferPointer { f in
      /// Where a lane is: feed, segment, offset in the segment.
      struct Lane {
        var feed: Int
        var segment = 0
        var offset = 0
      }
      var next = 0
      /// `lane` moved past exhausted segments to its next byte, on to the next feed when its own
      /// is done; nil when no feed is left.
      func settle(_ lane: Lane) -> Lane? {
        var l = lane
        while true {
          if l.segment < f[l.feed].segments.count {
            if l.offset < f[l.feed].segments[l.segment].count { return l }
            l.segment += 1
            l.offset = 0
          } else {
            guard next < f.count else { return nil }
            l = Lane(feed: next)
            next += 1
          }
        }
      }
      func take() -> Lane? {
        guard next < f.count else { return nil }
        next += 1
        return settle(Lane(feed: next - 1))
      }
      func remaining(_ l: Lane) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: f[l.feed].segments[l.segment][l.offset...])
      }
      var a = take()
      var b = take()
      while let la = a, let lb = b {
        let ra = remaining(la)
        let rb = remaining(lb)
        let n = min(ra.count, rb.count)
        update(
          &f[la.feed].hasher, UnsafeRawBufferPointer(rebasing: ra[0..<n]),
          &f[lb.feed].hasher, UnsafeRawBufferPointer(rebasing: rb[0..<n]))
        a = settle(Lane(feed: la.feed, segment: la.segment, offset: la.offset + n))
        b = settle(Lane(feed: lb.feed, segment: lb.segment, offset: lb.offset + n))
      }
      // At most one lane is left (no feed to pair it with): finish it alone.
      var last = a ?? b
      while let l = last {
        let bytes = remaining(l)
        f[l.feed].hasher.update(bytes)
        last = settle(Lane(feed: l.feed, segment: l.segment, offset: l.offset + bytes.count))
      }
    }
  }

  /// The reference of both `update`s: each feed's segments fed to its hasher alone, in order.
  static func updateReference(_ feeds: inout [SHA256Feed]) {
    for i in feeds.indices {
      for segment in feeds[i].segments { feeds[i].hasher.update(segment) }
    }
  }
}
