// Newlines.swift — counting `\n` bytes with memchr (the line numbers of plan pieces and of the
// XML truncation check). `bytes.filter { $0 == 0x0A }.count` is the reference.

#if canImport(Glibc)
import Glibc
#endif

/// The newlines (0x0A) in `bytes`: how many, and the offset of the last one (nil when none).
/// - Complexity: O(bytes.count), memchr between hits.
public func newlines(in bytes: UnsafeRawBufferPointer) -> (count: Int, last: Int?) {
  guard let start = bytes.baseAddress else { return (0, nil) }
  var count = 0
  var last: Int?
  var position = 0
  while position < bytes.count, let found = memchr(start + position, 0x0A, bytes.count - position) {
    let index = start.distance(to: UnsafeRawPointer(found))
    count += 1
    last = index
    position = index + 1
  }
  return (count, last)
}
