// BatchSchedule: which examples form the batch of each optimizer step, as a pure function of
// (example count, batch size, seed, step). Each epoch visits every example once in an order
// shuffled by a seeded SplitMix64 Fisher–Yates; batches never straddle two epochs (the last batch
// of an epoch may be short). Because the order depends on nothing but these numbers, a resumed run
// continues with exactly the batches the uninterrupted run would have seen.

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, seedable generator whose output is the same
/// on every platform. Used for shuffling, never for anything secret.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// Current state; saving and restoring it reproduces the sequence.
  public var state: UInt64

  /// Starts the sequence at `seed`.
  public init(seed: UInt64) { state = seed }

  /// Next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection; bound > 0).
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "SplitMix64.nextInt: bound must be positive")
    let b = UInt64(bound)
    let threshold = (0 &- b) % b
    while true {
      let r = next()
      let product = r.multipliedFullWidth(by: b)
      if product.low >= threshold { return Int(product.high) }
    }
  }
}

/// The deterministic order of examples and the steps of a training run.
public struct BatchSchedule: Sendable, Equatable {
  /// Number of examples (sequences, or pairs for the scalar objective) in the training split.
  public let exampleCount: Int
  /// Examples per optimizer step (the last batch of an epoch may hold fewer).
  public let batchSize: Int
  /// Seed of the shuffle; epoch e uses the stream seeded with `seed ^ (e · golden ratio)`.
  public let seed: UInt64
  /// Whether to shuffle at all (off: file order, useful for debugging).
  public let shuffles: Bool

  /// Creates a schedule; `exampleCount` and `batchSize` must be positive.
  public init(exampleCount: Int, batchSize: Int, seed: UInt64, shuffles: Bool = true) {
    precondition(exampleCount > 0 && batchSize > 0, "BatchSchedule: empty data or batch")
    self.exampleCount = exampleCount
    self.batchSize = batchSize
    self.seed = seed
    self.shuffles = shuffles
  }

  /// Optimizer steps in one epoch: ⌈exampleCount / batchSize⌉.
  public var stepsPerEpoch: Int { (exampleCount + batchSize - 1) / batchSize }

  /// The order in which epoch `epoch` visits the examples: a permutation of `0..<exampleCount`.
  public func order(epoch: Int) -> [Int] {
    var order = Array(0..<exampleCount)
    guard shuffles else { return order }
    var rng = SplitMix64(seed: seed ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15))
    // Fisher–Yates from the end: swap i with a uniform j ≤ i.
    var i = exampleCount - 1
    while i > 0 {
      let j = rng.nextInt(below: i + 1)
      order.swapAt(i, j)
      i -= 1
    }
    return order
  }

  /// Example indices of the batch used at optimizer step `step` (0-based, counted across epochs).
  public func batch(step: Int) -> [Int] {
    let epoch = step / stepsPerEpoch
    let slot = step % stepsPerEpoch
    let order = order(epoch: epoch)
    let start = slot * batchSize
    return Array(order[start..<min(exampleCount, start + batchSize)])
  }
}
