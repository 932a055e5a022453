// The trainer's entry point for text: batches texts and counts their words on all cores.

import Dispatch

/// Collects texts, pretokenizes them and counts words on `threadCount` threads.
///
///     let counter = WordCounter(pattern: .gpt2, threadCount: 2)
///     pipeline.run(inputs: files) { r in counter.add(r.prompt); counter.add(r.chosen); … }
///     let model = try BPETrainer.train(counter.finish(), options: options)
///
/// Texts are buffered into batches of about `batchBytes`; each batch is cut into one
/// contiguous slice of texts per thread, each thread counts its slice into its own
/// `WordCounts`, and the tables are added to the total in thread order. Counts are sums, so
/// the result is the same for any thread count and batch size (KNOWN-FAULTS K15).
/// Memory: one batch plus the distinct words.
public final class WordCounter {
  /// The pretokenizer applied to every text.
  public let pretokenizer: Pretokenizer
  /// Threads used to count a batch.
  public let threadCount: Int
  /// Batch size in bytes.
  public let batchBytes: Int
  /// Texts added so far.
  public private(set) var textCount = 0
  /// Bytes of text added so far.
  public private(set) var byteCount = 0
  private var total = WordCounts()
  private var buffer: [UInt8] = []
  private var ends: [Int] = []

  /// A counter for `pattern` using `threadCount` threads (at least 1).
  public init(pattern: PretokenizerPattern, threadCount: Int, batchBytes: Int = 8 << 20) {
    pretokenizer = Pretokenizer(pattern: pattern)
    self.threadCount = max(1, threadCount)
    self.batchBytes = batchBytes
    buffer.reserveCapacity(batchBytes + 1 << 16)
  }

  /// Adds one text (its bytes are pretokenized on their own, never joined to a neighbour).
  public func add(_ text: String) {
    var text = text
    text.withUTF8 { add(bytes: $0) }
  }

  /// Adds one text given as bytes (invalid UTF-8 is counted byte by byte, K14).
  public func add(bytes: UnsafeBufferPointer<UInt8>) {
    buffer.append(contentsOf: bytes)
    ends.append(buffer.count)
    textCount += 1
    byteCount += bytes.count
    if buffer.count >= batchBytes { flush() }
  }

  /// Number of distinct words counted so far (batches not yet flushed excluded).
  public var distinctWords: Int { total.count }

  /// Counts the buffered texts.
  public func flush() {
    guard !ends.isEmpty else { return }
    let workers = min(threadCount, ends.count)
    var locals = [WordCounts](repeating: WordCounts(), count: workers)
    let pre = pretokenizer
    let ends = self.ends
    // Slice w = texts whose start lies in [w, w+1) × bytes/workers: contiguous, disjoint.
    var bounds = [0]
    var t = 0
    for w in 1..<max(2, workers + 1) where w < workers {
      let target = buffer.count * w / workers
      while t < ends.count && ends[t] <= target { t += 1 }
      bounds.append(t)
    }
    bounds.append(ends.count)
    let slices = bounds
    buffer.withUnsafeBufferPointer { buffer in
      // Read-only for the duration of the concurrent loop.
      nonisolated(unsafe) let bytes = buffer
      locals.withUnsafeMutableBufferPointer { locals in
        // Thread w writes only locals[w]: disjoint slots.
        nonisolated(unsafe) let out = locals
        DispatchQueue.concurrentPerform(iterations: workers) { w in
          var counts = WordCounts()
          for k in slices[w]..<slices[w + 1] {
            let start = k == 0 ? 0 : ends[k - 1]
            counts.addText(UnsafeBufferPointer(rebasing: bytes[start..<ends[k]]), pretokenizer: pre)
          }
          out[w] = counts
        }
      }
    }
    for local in locals { total.add(local) }
    buffer.removeAll(keepingCapacity: true)
    self.ends.removeAll(keepingCapacity: true)
  }

  /// Flushes and returns the word counts.
  public func finish() -> WordCounts {
    flush()
    return total
  }
}
