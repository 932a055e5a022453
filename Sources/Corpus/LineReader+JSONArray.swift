// LineReader+JSONArray.swift — reading a file that is one JSON array of records (LLaMA-Factory's
// dpo_en_demo.json, FORMATS.md §0) as a stream of elements, so memory stays bounded by the largest
// element, not the file. The scanner only tracks strings, escapes and nesting depth to find the
// top-level commas; each element is then parsed strictly by the JSON parser like a JSONL line.

extension LineReader {
  /// Calls `body` once per element of a top-level JSON array, in order.
  ///
  /// - Parameter body: receives the element's bytes (trimmed; borrowed: copy if kept), the 1-based
  ///   line where it starts and its decoded byte offset.
  /// - Throws: `CorpusError.malformedDocument` when the input is not `[ … ]` followed only by
  ///   whitespace (the element contents themselves are the caller's to parse); errors from `body`.
  public func forEachArrayElement(
    _ body: (_ element: UnsafeRawBufferPointer, _ line: Int, _ offset: Int) throws -> Void
  ) throws {
    guard try firstNonSpaceByte() == UInt8(ascii: "[") else {
      throw CorpusError.malformedDocument(
        InputLocation(path: sourceName, line: 1), detail: "expected a JSON array")
    }
    var line = 1
    // Skip to just after "[".
    while buffer[start] != UInt8(ascii: "[") {
      if buffer[start] == 0x0A { line += 1 }
      start += 1
    }
    start += 1
    var expectElement = true  // false right after "[" only until the first element
    var sawElement = false
    while true {
      // Skip whitespace before an element (or the closing bracket).
      guard let first = try skipSpace(&line) else {
        throw CorpusError.malformedDocument(
          InputLocation(path: sourceName, line: line), detail: "unterminated JSON array")
      }
      if first == UInt8(ascii: "]") && !sawElement {
        start += 1
        break
      }
      let elementLine = line
      var scanned = 0
      var depth = 0
      var inString = false
      var escaped = false
      var linesInside = 0
      var closing: UInt8 = 0
      scan: while true {
        while start + scanned < end {
          let byte = buffer[start + scanned]
          if inString {
            if escaped {
              escaped = false
            } else if byte == UInt8(ascii: "\\") {
              escaped = true
            } else if byte == UInt8(ascii: "\"") {
              inString = false
            } else if byte == 0x0A {
              linesInside += 1
            }
          } else {
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
              if depth == 0 { closing = byte; break scan }
              depth -= 1
            case UInt8(ascii: ","):
              if depth == 0 { closing = byte; break scan }
            case 0x0A: linesInside += 1
            default: break
            }
          }
          scanned += 1
        }
        if atEOF {
          throw CorpusError.malformedDocument(
            InputLocation(path: sourceName, line: line + linesInside),
            detail: "unterminated JSON array")
        }
        try fill()
      }
      // Trim trailing whitespace of the element.
      var stop = start + scanned
      while stop > start, [0x20, 0x0A, 0x0D, 0x09].contains(buffer[stop - 1]) { stop -= 1 }
      try body(
        UnsafeRawBufferPointer(rebasing: buffer[start..<stop]), elementLine, consumedBefore + start)
      sawElement = true
      expectElement = closing == UInt8(ascii: ",")
      line += linesInside
      start += scanned + 1
      if closing == UInt8(ascii: "]") { break }
      if closing == UInt8(ascii: "}") {
        throw CorpusError.malformedDocument(
          InputLocation(path: sourceName, line: line), detail: "unexpected '}' in JSON array")
      }
    }
    _ = expectElement
    // Only whitespace may follow the array.
    if let extra = try skipSpace(&line) {
      throw CorpusError.malformedDocument(
        InputLocation(path: sourceName, line: line),
        detail:
          "unexpected byte 0x\(String(extra, radix: 16)) after the closing ']' of the JSON array")
    }
  }

  /// Skips JSON whitespace, counting newlines; returns the next byte without consuming it, or nil at EOF.
  private func skipSpace(_ line: inout Int) throws -> UInt8? {
    while true {
      while start < end {
        let byte = buffer[start]
        if byte == 0x0A {
          line += 1
        } else if byte != 0x20 && byte != 0x0D && byte != 0x09 {
          return byte
        }
        start += 1
      }
      if atEOF { return nil }
      try fill()
    }
  }
}
