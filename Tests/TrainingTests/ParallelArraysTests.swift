// The threaded copy and zero fill against `Array(_:)` and `[Float](repeating:count:)`.

import Testing
import Transformer

@testable import Training

@Suite struct ParallelArraysTests {
  @Test(arguments: [0, 1, 65536, 3 * 65536 + 7])
  func copyAndZerosEqualThePlainArrays(count: Int) {
    setThreadCount(2)
    var generator = SplitMix64(seed: UInt64(count) + 1)
    let source = (0..<count).map { _ in generator.nextFloat() - 0.5 }
    let copy = source.withUnsafeBufferPointer { parallelCopy($0) }
    #expect(copy == source)
    #expect(parallelZeros(count: count) == [Float](repeating: 0, count: count))
  }
}
