// ByteAppend.swift — appending bytes to a [UInt8] in the ingest hot loops with one memcpy.
// `append(contentsOf:)` with a String's `.utf8`, a `repeatElement` or a raw buffer goes through
// generic sequence paths (String guts copies, element loops): ~5 % of the fast path's time in a
// profile of the ingest benchmark. A typed UnsafeBufferPointer takes the contiguous-storage path.
// Same bytes as `append(contentsOf:)` (tested).

extension Array where Element == UInt8 {
  /// Appends `count` bytes at `start`.
  @inline(__always)
  mutating func appendBytes(_ start: UnsafeRawPointer, count: Int) {
    append(
      contentsOf: UnsafeBufferPointer(
        start: start.assumingMemoryBound(to: UInt8.self), count: count))
  }

  /// Appends the bytes of `buffer`.
  @inline(__always)
  mutating func appendBytes(_ buffer: UnsafeRawBufferPointer) {
    guard let start = buffer.baseAddress else { return }
    appendBytes(start, count: buffer.count)
  }

  /// Appends the UTF-8 bytes of a literal.
  @inline(__always)
  mutating func appendBytes(_ text: StaticString) {
    appendBytes(text.utf8Start, count: text.utf8CodeUnitCount)
  }
}
