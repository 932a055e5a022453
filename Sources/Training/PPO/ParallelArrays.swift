// Float arrays made across the engine's threads: a copy of an engine buffer (the logits a PPO
// network hands out) and a zero-filled array (the logits' gradient). Both are (R, V) ≈ 500 × 8192
// floats, 16 MB, in the PPO benchmark; a fresh array of that size comes from new pages, so the
// copy or fill also pays the page faults, and on one thread that left the other core idle.
// Blocks of 65,536 values, one contiguous run of blocks per thread; the values are the same as
// `Array(source)` and `[Float](repeating: 0, count:)` (the references the tests compare with).

import Transformer

private let block = 65536

/// `Array(source)`, the copy split across the threads.
public func parallelCopy(_ source: UnsafeBufferPointer<Float>) -> [Float] {
  guard let from = source.baseAddress, source.count > 0 else { return [] }
  let n = source.count
  return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
    let to = buffer.baseAddress!
    // Each chunk initializes only its own blocks.
    parallelFor((n + block - 1) / block) { range in
      let start = range.lowerBound * block
      (to + start).initialize(from: from + start, count: min(n, range.upperBound * block) - start)
    }
    initialized = n
  }
}

/// `[Float](repeating: 0, count: count)`, the fill split across the threads.
public func parallelZeros(count n: Int) -> [Float] {
  guard n > 0 else { return [] }
  return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
    let to = buffer.baseAddress!
    // Each chunk initializes only its own blocks.
    parallelFor((n + block - 1) / block) { range in
      let start = range.lowerBound * block
      (to + start).initialize(repeating: 0, count: min(n, range.upperBound * block) - start)
    }
    initialized = n
  }
}
