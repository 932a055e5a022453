// Streams the `<row …/>` elements of a Stack Exchange dump file (Posts.xml) with libxml2's
// xmlTextReader: constant memory in the number of rows, the document is never loaded. Attribute
// values arrive with the XML layer decoded (the first of the two layers, K09) and are lent to the
// caller as borrowed UTF-8 buffers, valid only inside the callback.
// Well-formedness errors (K08: a control character XML 1.0 forbids, a broken tag) stop the read
// with file, line, column and libxml2's reason, or, with `recover`, cut the broken row out,
// count it, and resume with the next line (XMLRowInput replays the retained bytes).
// A source that ends early (a cut-off download) is named as such at the end of its content, not
// with libxml2's reason for it ("Extra content at the end of the document", or whatever the cut
// tag lacks); with `recover`, the complete rows before the cut are kept and the cut is counted.

import CLibXML2

#if canImport(Glibc)
import Glibc
#endif

/// One `<row>` element: its source line and its attributes, borrowed.
public struct XMLRow {
  /// 1-based line of the row's start tag in the source.
  public let line: Int
  let names: [UnsafePointer<UInt8>]
  let values: [UnsafeBufferPointer<UInt8>]

  /// The value of attribute `name` (XML-unescaped), nil when the attribute is omitted.
  /// The buffer is valid only inside the row callback: copy it if you keep it.
  public func value(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
    for (index, candidate) in names.enumerated() where equals(candidate, name) {
      return values[index]
    }
    return nil
  }

  /// The value as a `String`.
  public func string(_ name: StaticString) -> String? {
    value(name).map { String(decoding: $0, as: UTF8.self) }
  }

  private func equals(_ cName: UnsafePointer<UInt8>, _ name: StaticString) -> Bool {
    let expected = name.utf8Start
    for index in 0..<name.utf8CodeUnitCount where cName[index] != expected[index] { return false }
    return cName[name.utf8CodeUnitCount] == 0
  }
}

/// A well-formedness error that was skipped in recover mode.
public struct XMLRecoveredError: Sendable, Equatable {
  /// Source lines cut out (the broken row).
  public var lines: ClosedRange<Int>
  public var column: Int
  public var reason: String
}

/// Reads `<row>` elements from a Posts.xml byte stream.
public final class PostsXMLReader {
  /// Name shown in errors (the path, or `<stdin>`).
  public let name: String
  private let input: XMLRowInput
  /// Skip broken rows instead of failing (`--xml-recover`).
  public let recovers: Bool
  /// Rows cut out in recover mode, in order.
  public private(set) var recovered: [XMLRecoveredError] = []
  /// The root element's name once the parser has opened it (a replay's `<posts>` included).
  private var rootName: String?

  /// - Parameters:
  ///   - name: shown in error messages.
  ///   - recover: cut out rows that are not well-formed and go on.
  ///   - read: fills a buffer with the next bytes of the document; returns 0 at the end.
  public init(
    name: String, recover: Bool, read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int
  ) {
    self.name = name
    self.recovers = recover
    self.input = XMLRowInput(read: read, retains: recover)
  }

  /// Calls `body` for every `<row>` element in document order.
  /// - Throws: `CorpusError.malformedXML` with line, column and reason; whatever `body` or the
  ///   byte source throws.
  /// - Parameter onRecovered: called (recover mode) for each broken row cut out, in order.
  public func forEachRow(
    onRecovered: (XMLRecoveredError) throws -> Void = { _ in }, _ body: (XMLRow) throws -> Void
  ) throws {
    var lastGoodLine = 0
    var lastErrorLine = 0
    var truncationHandled = false
    while true {
      let outcome = try readPass(lastGoodLine: &lastGoodLine, body)
      guard let error = outcome else { return }
      let line = error.line + input.lineShift
      if !truncationHandled, let truncation = truncation(errorLine: line) {
        guard recovers else { throw truncation.error(name: name, recovering: false) }
        // Keep the complete rows libxml2 read but had not delivered yet, cut the partial row.
        truncationHandled = true
        let firstKept = lastGoodLine > 0 ? lastGoodLine + 1 : input.firstRowLine(notAfter: line)
        let cut =
          truncation.insideRow
          ? input.rowStart(atOrBefore: truncation.line, floor: firstKept ?? truncation.line) : nil
        if let firstKept, firstKept <= truncation.line {
          guard input.prepareTruncatedReplay(firstKept: firstKept, cutStart: cut) else {
            throw truncation.error(name: name, recovering: true)
          }
        }
        let broken = XMLRecoveredError(
          lines: (cut ?? truncation.line)...truncation.line, column: truncation.column,
          reason: truncation.message)
        recovered.append(broken)
        try onRecovered(broken)
        guard let firstKept, firstKept <= truncation.line else { return }
        lastErrorLine = line
        continue
      }
      guard recovers, line > lastErrorLine, line > lastGoodLine else {
        throw CorpusError.malformedXML(
          InputLocation(path: name, line: line, column: error.column), reason: error.reason,
          recovering: recovers)
      }
      // Replay from the line after the last row delivered (or from the first row line: the
      // synthetic `<posts>` replaces the declaration and root tag).
      let firstKept = lastGoodLine > 0 ? lastGoodLine + 1 : input.firstRowLine(notAfter: line)
      let cutStart = input.rowStart(atOrBefore: line, floor: firstKept ?? line)
      guard let firstKept,
        input.prepareReplay(firstKept: firstKept, cutStart: cutStart, cutEnd: line)
      else {
        throw CorpusError.malformedXML(
          InputLocation(path: name, line: line, column: error.column), reason: error.reason,
          recovering: recovers)
      }
      let broken = XMLRecoveredError(
        lines: cutStart...line, column: error.column, reason: error.reason)
      recovered.append(broken)
      try onRecovered(broken)
      lastErrorLine = line
    }
  }

  /// Where and how a source ends early, for the error or the recovered row.
  struct Truncation {
    /// Line and column just after the last non-blank byte; the source's size in bytes.
    var line: Int
    var column: Int
    var size: Int
    /// The source ends inside a `<row …` start tag (else between rows, before `</posts>`).
    var insideRow: Bool
    /// `inside the <row …> on line 4`, `before </posts>`, `in the middle of line 4`.
    var detail: String

    var message: String { CorpusError.truncationMessage("\(detail) (after \(size) bytes)") }

    func error(name: String, recovering: Bool) -> CorpusError {
      .truncatedXML(
        InputLocation(path: name, line: line, column: column, byteOffset: size),
        detail: detail, recovering: recovering)
    }
  }

  /// The truncation behind a parser error, or nil when the error is something else. The source
  /// is truncated when libxml2 failed after reading all of it, at or after its last line with
  /// content, and `</posts>` never came. libxml2's own message for this
  /// (for example "Extra content at the end of the document") does not say so.
  private func truncation(errorLine: Int) -> Truncation? {
    let end = input.sourceEnd
    guard input.sourceExhausted, input.sourceBytes > 0, errorLine >= end.lastLine,
      !end.sawRootEndTag, rootName == nil || rootName == "posts"
    else { return nil }
    let insideRow = end.lastLineStartsRow && !end.endsWithTagEnd
    let detail: String
    if insideRow {
      detail = "inside the <row …> on line \(end.lastLine)"
    } else if end.endsWithTagEnd {
      detail = "before </posts>"
    } else {
      detail = "in the middle of line \(end.lastLine)"
    }
    return Truncation(
      line: end.lastLine, column: end.endColumn, size: input.sourceBytes, insideRow: insideRow,
      detail: detail)
  }

  struct ParseFailure {
    var line: Int
    var column: Int
    var reason: String
  }

  /// One libxml2 reader over the input (or its replay); returns the error that ended it, if any.
  private func readPass(lastGoodLine: inout Int, _ body: (XMLRow) throws -> Void) throws
    -> ParseFailure?
  {
    let options = Int32(
      XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue)
    let context = Unmanaged.passUnretained(input).toOpaque()
    xmlResetLastError()
    guard let reader = xmlReaderForIO(xmlRowInputRead, nil, context, name, nil, options) else {
      throw input.failure
        ?? CorpusError.malformedXML(
          InputLocation(path: name, line: 1), reason: "libxml2 could not start a reader")
    }
    defer { xmlFreeTextReader(reader) }
    var names: [UnsafePointer<UInt8>] = []
    var values: [UnsafeBufferPointer<UInt8>] = []
    while true {
      let status = xmlTextReaderRead(reader)
      if let failure = input.failure { throw failure }
      if status == 0 { return nil }
      if status < 0 {
        if input.sourceExhausted && input.sourceBytes == 0 {
          return ParseFailure(
            line: 1, column: 1,
            reason: "the input is empty (a Posts.xml dump has a <posts> root element)")
        }
        return lastFailure()
      }
      guard xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue) else {
        continue
      }
      let depth = xmlTextReaderDepth(reader)
      if depth == 0, rootName == nil {
        rootName = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
      }
      guard depth == 1, isRow(xmlTextReaderConstLocalName(reader)) else { continue }
      let line = Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader))) + input.lineShift
      names.removeAll(keepingCapacity: true)
      values.removeAll(keepingCapacity: true)
      while xmlTextReaderMoveToNextAttribute(reader) == 1 {
        guard let attributeName = xmlTextReaderConstLocalName(reader) else { continue }
        let value =
          xmlTextReaderConstValue(reader).map {
            UnsafeBufferPointer(
              start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)))
          } ?? UnsafeBufferPointer(start: nil, count: 0)
        names.append(attributeName)
        values.append(value)
      }
      try body(XMLRow(line: line, names: names, values: values))
      lastGoodLine = line
      input.release(before: line + 1)
    }
  }

  private func isRow(_ name: UnsafePointer<UInt8>?) -> Bool {
    guard let name else { return false }
    return name[0] == UInt8(ascii: "r") && name[1] == UInt8(ascii: "o")
      && name[2] == UInt8(ascii: "w")
      && name[3] == 0
  }

  private func lastFailure() -> ParseFailure {
    guard let error = xmlGetLastError() else {
      return ParseFailure(line: 0, column: 0, reason: "the XML reader stopped")
    }
    var reason = error.pointee.message.map { String(cString: $0) } ?? "not well-formed"
    while reason.last == "\n" || reason.last == " " { reason.removeLast() }
    return ParseFailure(
      line: Int(error.pointee.line), column: Int(error.pointee.int2), reason: reason)
  }
}

/// libxml2's read callback: fills `buffer` from the `XMLRowInput` behind `context`.
private func xmlRowInputRead(
  _ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32
) -> Int32 {
  guard let context, let buffer, length > 0 else { return -1 }
  let input = Unmanaged<XMLRowInput>.fromOpaque(context).takeUnretainedValue()
  do {
    return Int32(
      try input.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length))))
  } catch {
    input.failure = error
    return -1
  }
}
