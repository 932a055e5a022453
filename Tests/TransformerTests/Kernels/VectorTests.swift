// The shared vector primitives that have no other test: the threaded zero fill.

import Testing

@testable import Transformer

@Suite struct VectorTests {
  /// The threaded zero fill clears exactly the range it is given.
  @Test func zeroFillClearsItsRangeOnly() {
    setThreadCount(2)
    var x = [Float](repeating: 7, count: 3 * 65536 + 11)
    x.withUnsafeMutableBufferPointer { zeroFill($0.baseAddress! + 3, $0.count - 5) }
    #expect(x[0..<3].allSatisfy { $0 == 7 } && x.suffix(2).allSatisfy { $0 == 7 })
    #expect(x[3..<(x.count - 2)].allSatisfy { $0 == 0 })
  }
}
