// FlatRecordScanner.scanString: its UTF-8 verdict (validation starts at the first chunk with a
// byte ≥ 0x80) against the standard library's, with the non-ASCII byte placed at every offset
// around the 16-byte chunk boundaries, before and after an escape.

import Testing

@testable import Corpus

@Suite struct FlatRecordTests {
  static let tails: [[UInt8]] = [
    [0xC3, 0xA9],  // é
    [0xF0, 0x9F, 0xA4, 0x97],  // 🤗
    [0xFF],  // never valid
    [0xE2, 0x82],  // truncated
    [0xC0, 0xAF],  // overlong
    [0xED, 0xA0, 0x80],  // surrogate
  ]

  @Test func scanStringAgreesWithTheStdlibAtEveryOffset() {
    for prefix in 0..<40 {
      for tail in Self.tails {
        for escapeFirst in [false, true] {
          for suffix in [0, 1, 17] {
            let ascii = [UInt8](repeating: 0x61, count: prefix)
            let escape: [UInt8] = escapeFirst ? [0x5C, 0x6E] : []
            let content = escape + ascii + tail + [UInt8](repeating: 0x62, count: suffix)
            let line = [0x22] + content + [0x22]
            let scanned = line.withUnsafeBytes {
              FlatRecordScanner.scanString($0.baseAddress!, 0, $0.count)
            }
            let valid = String(validating: ascii + tail, as: UTF8.self) != nil
            #expect(
              (scanned != nil) == valid, "prefix \(prefix) tail \(tail) escape \(escapeFirst)")
            if let scanned { #expect(scanned.end == line.count) }
          }
        }
      }
    }
  }
}
