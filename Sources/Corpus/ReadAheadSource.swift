// ReadAheadSource.swift — another source's reads (a decompressor) run on a thread of their own, a
// few chunks ahead of the consumer, so decompression overlaps parsing: `rmprep convert` of a zstd
// file then takes about the time of the larger of the two instead of their sum (issue 2: "zstd
// input within 1.5× of plain; decompression may run on its own thread").
//
// Shape: a ring of `slots` chunks of `chunkSize` bytes. The reader thread fills the next free
// chunk from `base` (as full as it gets) and publishes it; `read(into:)` copies from the oldest
// published chunk and frees it when empty. Memory is bounded by slots × chunkSize whatever the
// input size. Bytes come out in order, exactly as `base` gives them; an error from `base` is
// thrown by `read` after every byte before it was delivered (the reference is reading `base`
// directly: tested to give the same bytes and the same error). `rawBytesRead` is `base`'s count as
// of the last chunk handed out, so progress and stats match what the consumer has seen.
//
// Hand-over without a copy: `exchange(_:carrying:)` gives a reader (LineReader) the next chunk's
// whole buffer and takes the reader's old buffer back into the ring, so decoded bytes are written
// once (by the decoder) and parsed where they lie. Every chunk has `headroom` bytes in front of it
// where the reader's unfinished line is copied before the hand-over; `read(into:)` (copying) is the
// reference and stays available (tested: the same lines, offsets and errors either way).
//
// Ownership: the thread holds `base` and the ring and never outlives its use of them. When the
// consumer goes away early (an error, Ctrl-C), `deinit` tells the thread to stop and returns at
// once: a thread blocked in a read (a FIFO) ends with the process. The thread is detached, never
// joined.

#if canImport(Glibc)
import Glibc
#endif

/// Reads `base` on a background thread, up to `slots` chunks ahead.
public final class ReadAheadSource: ByteSource {
  public let name: String
  private let ring: Ring
  /// Set when no thread could be started: reads go straight to `base` (same bytes, no overlap).
  private let direct: ByteSource?
  /// The chunk being copied out (its index in the ring), how far, and how long it is.
  private var current = -1
  private var offset = 0
  private var length = 0
  public private(set) var rawBytesRead = 0

  /// Bytes in front of each chunk for a reader's unfinished line (see `exchange`).
  public let headroom: Int
  /// Size of the buffers that `exchange` trades: `headroom` + chunk size.
  public var exchangeCapacity: Int { headroom + ring.chunkSize }

  /// Starts reading `base` ahead; `slots` buffers of `headroom + chunkSize` bytes bound the memory.
  public init(
    _ base: ByteSource, slots: Int = 4, chunkSize: Int = 1 << 20, headroom: Int = 1 << 18
  ) {
    name = base.name
    self.headroom = max(0, headroom)
    ring = Ring(slots: max(2, slots), chunkSize: max(1, chunkSize), headroom: self.headroom)
    let worker = Worker(base: base, ring: ring)
    var thread = pthread_t()
    let context = Unmanaged.passRetained(worker).toOpaque()
    let started = pthread_create(
      &thread, nil,
      { context in
        Unmanaged<Worker>.fromOpaque(context!).takeRetainedValue().run()
        return nil
      }, context)
    if started == 0 {
      pthread_detach(thread)
      direct = nil
    } else {
      Unmanaged<Worker>.fromOpaque(context).release()
      direct = base
    }
  }

  deinit { ring.stop() }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
    if let direct {
      defer { rawBytesRead = direct.rawBytesRead }
      return try direct.read(into: buffer)
    }
    if current >= 0 && offset == length {
      ring.release()
      current = -1
    }
    if current < 0 {
      let (slot, count, raw) = try ring.next()
      rawBytesRead = raw
      if slot < 0 { return 0 }
      (current, length, offset) = (slot, count, 0)
    }
    let n = min(buffer.count, length - offset)
    out.copyMemory(from: ring.chunk(current) + offset, byteCount: n)
    offset += n
    return n
  }

  /// What `exchange` did.
  public enum Exchange {
    /// The caller now owns `buffer` (`exchangeCapacity` bytes): the carried bytes end at
    /// `headroom` and `count` new bytes follow them. The spare buffer went to the ring.
    case chunk(buffer: UnsafeMutableRawBufferPointer, count: Int)
    /// The input ended; the caller keeps its buffer.
    case end
    /// No hand-over possible (no thread, a chunk partly copied out by `read`, or a spare of the
    /// wrong size or a tail longer than `headroom`): use `read(into:)`. The caller keeps its buffer.
    case unavailable
  }

  /// Trades `spare` (`exchangeCapacity` bytes, whose contents the caller no longer needs apart
  /// from `tail`) for the buffer holding the next chunk, after copying `tail` (which may lie in
  /// `spare`) just in front of the chunk. Throws the thread's error once every byte before it was
  /// handed out, like `read`.
  public func exchange(
    _ spare: UnsafeMutableRawBufferPointer, carrying tail: UnsafeRawBufferPointer
  ) throws -> Exchange {
    guard direct == nil, spare.count == exchangeCapacity, tail.count <= headroom,
      let spareBase = spare.baseAddress
    else { return .unavailable }
    if current >= 0 {
      guard offset == length else { return .unavailable }
      ring.release()
      current = -1
    }
    let (slot, count, raw) = try ring.next()
    rawBytesRead = raw
    if slot < 0 { return .end }
    let taken = ring.chunk(slot) - headroom
    if let from = tail.baseAddress, tail.count > 0 {
      (taken + headroom - tail.count).copyMemory(from: from, byteCount: tail.count)
    }
    ring.release(replacingWith: spareBase)
    return .chunk(
      buffer: UnsafeMutableRawBufferPointer(start: taken, count: spare.count), count: count)
  }
}

/// The chunks and their hand-over state, guarded by one mutex and a condition.
private final class Ring: @unchecked Sendable {  // every field is read and written under `mutex`
  let slots: Int
  let chunkSize: Int
  let headroom: Int
  /// One buffer per slot (headroom + chunk); the consumer swaps a published slot's buffer with its
  /// own in `release(replacingWith:)`, the only write, so it may read them without the mutex.
  private let buffers: UnsafeMutablePointer<UnsafeMutableRawPointer>
  private var lengths: [Int]
  private var rawAfter: [Int]
  /// Chunks published by the thread and chunks freed by the consumer, counted from the start;
  /// slot of chunk k is k % slots.
  private var produced = 0
  private var consumed = 0
  private var finished = false
  private var failure: (any Error)?
  private var stopped = false
  private var finalRawBytes = 0
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

  init(slots: Int, chunkSize: Int, headroom: Int) {
    self.slots = slots
    self.chunkSize = chunkSize
    self.headroom = headroom
    buffers = .allocate(capacity: slots)
    for slot in 0..<slots {
      (buffers + slot).initialize(to: .allocate(byteCount: headroom + chunkSize, alignment: 64))
    }
    lengths = [Int](repeating: 0, count: slots)
    rawAfter = [Int](repeating: 0, count: slots)
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(changed, nil)
  }

  deinit {
    pthread_cond_destroy(changed)
    pthread_mutex_destroy(mutex)
    changed.deallocate()
    mutex.deallocate()
    for slot in 0..<slots { buffers[slot].deallocate() }
    buffers.deallocate()
  }

  /// The chunk (after the headroom) of `slot`'s buffer: consumer side, or the thread under the mutex.
  func chunk(_ slot: Int) -> UnsafeMutableRawPointer { buffers[slot] + headroom }

  private func locked<T>(_ body: () throws -> T) rethrows -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body()
  }

  // MARK: consumer side

  /// The oldest published chunk (slot, length, raw bytes after it), waiting for one; slot -1 at
  /// the end of input; the thread's error once every chunk before it was taken.
  func next() throws -> (slot: Int, count: Int, rawBytes: Int) {
    try locked {
      while produced == consumed && !finished { pthread_cond_wait(changed, mutex) }
      if produced > consumed {
        let slot = consumed % slots
        return (slot, lengths[slot], rawAfter[slot])
      }
      if let failure { throw failure }
      return (-1, 0, finalRawBytes)
    }
  }

  /// Frees the chunk taken by the last `next`.
  func release() {
    locked {
      consumed += 1
      pthread_cond_broadcast(changed)
    }
  }

  /// Frees the chunk taken by the last `next`, putting `buffer` (the consumer's, same size) in
  /// its slot: the consumer keeps the chunk's old buffer.
  func release(replacingWith buffer: UnsafeMutableRawPointer) {
    locked {
      buffers[consumed % slots] = buffer
      consumed += 1
      pthread_cond_broadcast(changed)
    }
  }

  /// The consumer is gone: the thread stops at its next hand-over.
  func stop() {
    locked {
      stopped = true
      pthread_cond_broadcast(changed)
    }
  }

  // MARK: thread side

  /// A free slot to fill and its chunk, waiting for one; nil once the consumer stopped.
  func freeSlot() -> (slot: Int, chunk: UnsafeMutableRawPointer)? {
    locked {
      while produced - consumed == slots && !stopped { pthread_cond_wait(changed, mutex) }
      return stopped ? nil : (produced % slots, chunk(produced % slots))
    }
  }

  /// Publishes the chunk in `slot` (`count` bytes, possibly 0), then the end or an error if any.
  func publish(slot: Int, count: Int, rawBytes: Int, end: Bool, error: (any Error)?) {
    locked {
      if count > 0 {
        lengths[slot] = count
        rawAfter[slot] = rawBytes
        produced += 1
      }
      if end || error != nil {
        finished = true
        failure = error
        finalRawBytes = rawBytes
      }
      pthread_cond_broadcast(changed)
    }
  }
}

/// The background reader: fills free chunks from `base` until the end, an error, or `stop`.
private final class Worker: @unchecked Sendable {  // used by its own thread only
  let base: ByteSource
  let ring: Ring

  init(base: ByteSource, ring: Ring) {
    self.base = base
    self.ring = ring
  }

  func run() {
    while let (slot, start) = ring.freeSlot() {
      let chunk = UnsafeMutableRawBufferPointer(start: start, count: ring.chunkSize)
      var filled = 0
      var end = false
      var failure: (any Error)?
      do {
        while filled < chunk.count {  // a decoder may return little at a time: fill the chunk
          let n = try base.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[filled...]))
          if n == 0 {
            end = true
            break
          }
          filled += n
        }
      } catch {
        failure = error
      }
      ring.publish(
        slot: slot, count: filled, rawBytes: base.rawBytesRead, end: end, error: failure)
      if end || failure != nil { return }
    }
  }
}
