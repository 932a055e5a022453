// ConcurrentMap.swift — `range.map(transform)` with the elements spread over up to `threads`
// threads (worker w takes elements w, w + workers, w + 2·workers, …), results in order. For a few
// independent, similar-sized jobs (the ranks' checks and the merges of `rmprep merge`); the
// reference is `range.map(transform)`, which it equals for any thread count.

import Dispatch

/// `range.map(transform)` on up to `threads` threads; `transform` must be safe to call from
/// several threads at once. One thread (or one element) runs it inline.
/// - Complexity: the work of `transform` over `range`, divided among the threads.
func concurrentMap<T>(_ range: Range<Int>, threads: Int, _ transform: (Int) -> T) -> [T] {
  let workers = min(threads, range.count)
  guard workers > 1 else { return range.map(transform) }
  let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: range.count)
  results.initialize(repeating: nil)
  defer {
    _ = results.deinitialize()
    results.deallocate()
  }
  // Safe: each element's slot is written by the one worker that takes it, and all are read after
  // concurrentPerform returns.
  nonisolated(unsafe) let slots = results
  withoutActuallyEscaping(transform) { transform in
    nonisolated(unsafe) let work = transform
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      for k in stride(from: w, to: range.count, by: workers) {
        slots[k] = work(range.lowerBound + k)
      }
    }
  }
  return results.map { $0! }
}
