// Thread count for our own parallel loops, set explicitly (STYLE C2.17); OpenBLAS is held at one
// thread and large products are split across the same threads (SplitGEMM.swift), so the engine
// has one pool of threads and no idle BLAS worker spinning beside it.
// Parallel loops split a row range into one contiguous chunk per thread; every kernel that uses
// them writes disjoint rows (or disjoint channels), so results never depend on the split, and
// cross-row reductions are done per channel in row order (deterministic at any thread count).

import COpenBLAS
import Dispatch
import Synchronization

private let threadCountStorage = Atomic<Int>(1)

/// Sets the number of threads used by the engine's parallel loops and split products, and holds
/// OpenBLAS at one thread. Call it once at start-up (tools) or at the top of a test; results are
/// bit-for-bit reproducible for a fixed thread count.
/// - Parameter count: threads to use, at least 1.
public func setThreadCount(_ count: Int) {
  let n = max(1, count)
  threadCountStorage.store(n, ordering: .relaxed)
  openblas_set_num_threads(1)
}

/// The thread count last set by `setThreadCount` (1 until then).
public var threadCount: Int { threadCountStorage.load(ordering: .relaxed) }

/// Runs `body` over `0..<count` split into at most `threadCount` contiguous chunks.
/// Chunks smaller than `grain` are not split further; a single chunk runs inline.
/// `body` must only write state owned by its own range (rows or channels). Public so that the
/// per-row passes outside the engine (PPO's log-probabilities over V) share the same threads.
/// - Parameters:
///   - count: the number of items (rows, channel blocks) in the range.
///   - grain: the fewest items worth a chunk of their own.
@inline(__always)
public func parallelFor(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
  let threads = min(threadCount, max(1, count / max(1, grain)))
  if threads <= 1 || count <= 1 {
    body(0..<count)
    return
  }
  withoutActuallyEscaping(body) { escapable in
    // The closure only touches its own chunk (see the contract above), so sharing it is safe.
    nonisolated(unsafe) let work = escapable
    DispatchQueue.concurrentPerform(iterations: threads) { index in
      let start = count * index / threads
      let end = count * (index + 1) / threads
      if start < end { work(start..<end) }
    }
  }
}
