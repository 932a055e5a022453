// `rmprep validate` as a library: checks every record of an input against a JSONSchema with the
// same reading rules as `rmprep convert` (containers by magic bytes, JSONL lines with blank lines
// skipped and a leading BOM allowed, JSON arrays element by element, a stray BOM or bad JSON counted
// as unreadable by RejectReason), or the whole input as one document, or a Posts.xml dump row by
// row (each row as an object of its attribute strings). Every record is valid, invalid (with its
// violations) or unreadable: `in = valid + invalid + unreadable`.

/// How the records of an input are found.
public enum ValidationLayout: String, Sendable {
  /// JSONL, a JSON array of records, or XML rows, decided from the first bytes.
  case records
  /// The whole input is one JSON document (a manifest, a tokenizer, a stats file).
  case document
}

/// The verdict on one record.
public struct RecordVerdict: Sendable {
  /// `path`, line (1-based) and record index (0-based).
  public var location: InputLocation
  /// Empty when valid.
  public var violations: [SchemaViolation]
  /// Set when the record could not be read (it is then neither valid nor invalid).
  public var unreadable: RecordRejection?
}

/// Counts of one validation run, by outcome; invalid records counted by first failing keyword.
public struct ValidationCounts: Sendable, Equatable {
  public var read = 0
  public var valid = 0
  public var invalid: [String: Int] = [:]
  public var unreadable: [RejectReason: Int] = [:]

  public init() {}

  public var invalidTotal: Int { invalid.values.reduce(0, +) }
  public var unreadableTotal: Int { unreadable.values.reduce(0, +) }
  public var isBalanced: Bool { read == valid + invalidTotal + unreadableTotal }

  /// `in 5 = valid 3 + invalid 1 (required 1) + unreadable 1 (invalid-json 1)`.
  public var summary: String {
    let invalidDetail = invalid.keys.sorted().map { "\($0) \(invalid[$0]!)" }.joined(
      separator: ", ")
    let unreadableDetail = unreadable.keys.sorted().map { "\($0.rawValue) \(unreadable[$0]!)" }
      .joined(separator: ", ")
    return "in \(read) = valid \(valid) + invalid \(invalidTotal)"
      + (invalidDetail.isEmpty ? "" : " (\(invalidDetail))")
      + " + unreadable \(unreadableTotal)"
      + (unreadableDetail.isEmpty ? "" : " (\(unreadableDetail))")
  }

  mutating func count(_ verdict: RecordVerdict) {
    read += 1
    if let rejection = verdict.unreadable {
      unreadable[rejection.reason, default: 0] += 1
    } else if let first = verdict.violations.first {
      invalid[first.keyword, default: 0] += 1
    } else {
      valid += 1
    }
  }

  /// Adds another file's counts.
  public mutating func add(_ other: ValidationCounts) {
    read += other.read
    valid += other.valid
    for (key, n) in other.invalid { invalid[key, default: 0] += n }
    for (key, n) in other.unreadable { unreadable[key, default: 0] += n }
  }
}

/// Validates inputs against one schema.
public struct SchemaValidation {
  public let schema: JSONSchema
  public let layout: ValidationLayout

  public init(schema: JSONSchema, layout: ValidationLayout) {
    self.schema = schema
    self.layout = layout
  }

  /// Checks one input (`-` = stdin), calling `onVerdict` for every record in order.
  /// - Throws: `CorpusError` when the input cannot be read as a whole (container errors, an
  ///   unterminated JSON array, XML that is not well-formed); whatever `onVerdict` throws.
  public func run(path: String, _ onVerdict: (RecordVerdict) throws -> Void) throws
    -> ValidationCounts
  {
    let opened = try InputOpener.open(path: path)
    let name = opened.source.name
    var counts = ValidationCounts()
    var index = 0
    func verdict(_ parsed: Result<JSONValue, RecordRejection>, line: Int) throws {
      let location = InputLocation(path: name, line: line, record: index)
      index += 1
      let result: RecordVerdict
      switch parsed {
      case .failure(let rejection):
        result = RecordVerdict(location: location, violations: [], unreadable: rejection)
      case .success(let value):
        result = RecordVerdict(
          location: location, violations: schema.validate(value), unreadable: nil)
      }
      counts.count(result)
      try onVerdict(result)
    }
    let lines = LineReader(opened.source)
    if layout == .document {
      var bytes: [UInt8] = []
      try lines.forEachLine { line, _, _ in
        bytes.append(contentsOf: line)
        bytes.append(0x0A)
      }
      try verdict(Self.parse(bytes, path: name, line: 1), line: 1)
      return counts
    }
    switch try lines.firstNonSpaceByte() {
    case UInt8(ascii: "["):
      try lines.forEachArrayElement { element, line, _ in
        try verdict(Self.parse(element, path: name, line: line), line: line)
      }
    case UInt8(ascii: "<"):
      let xml = PostsXMLReader(name: name, recover: false) { try lines.readRaw(into: $0) }
      try xml.forEachRow { row in try verdict(.success(row.attributeObject), line: row.line) }
    default:
      // JSONL, unless the first record line is not a complete JSON value: then the input is one
      // pretty-printed document (a stats file, a manifest), parsed whole.
      var document: [UInt8]?
      try lines.forEachLine { line, number, _ in
        if document != nil {
          document!.append(contentsOf: line)
          document!.append(0x0A)
          return
        }
        if RecordPipeline.isBlank(line) { return }
        let parsed = Self.parse(line, path: name, line: number)
        if counts.read == 0, case .failure(let rejection) = parsed,
          rejection.detail.hasSuffix("unexpected end of input")
        {
          document = [UInt8](repeating: 0x0A, count: number - 1) + Array(line) + [0x0A]
          return
        }
        try verdict(parsed, line: number)
      }
      if let document { try verdict(Self.parse(document, path: name, line: 1), line: 1) }
    }
    return counts
  }

  /// Parses one record with convert's rules (stray BOM and JSON errors become rejections).
  static func parse(_ bytes: UnsafeRawBufferPointer, path: String, line: Int) -> Result<
    JSONValue, RecordRejection
  > {
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
      return .failure(
        RecordRejection(.strayBOM, "\(path):\(line):1: byte-order mark inside the file"))
    }
    do {
      return .success(try JSONParser.parse(bytes, path: path, firstLine: line))
    } catch let CorpusError.malformedJSON(at, detail) {
      return .failure(
        RecordRejection(RejectReason.forJSONError(detail: detail), "\(at): invalid JSON: \(detail)")
      )
    } catch {
      return .failure(RecordRejection(.invalidJSON, "\(path):\(line): \(error)"))
    }
  }

  static func parse(_ bytes: [UInt8], path: String, line: Int) -> Result<JSONValue, RecordRejection>
  {
    bytes.withUnsafeBytes { parse($0, path: path, line: line) }
  }
}

extension XMLRow {
  /// The row's attributes as a JSON object of strings, in document order.
  var attributeObject: JSONValue {
    .object(
      zip(names, values).map { name, value in
        (key: String(cString: name), value: .string(String(decoding: value, as: UTF8.self)))
      })
  }
}

extension LineReader {
  /// Hands out the unconsumed bytes (what was buffered, then the rest of the source) as a plain
  /// byte stream, for a reader that takes over after sniffing (the XML row reader).
  func readRaw(into destination: UnsafeMutableRawBufferPointer) throws -> Int {
    if start < end {
      let count = min(destination.count, end - start)
      destination.copyMemory(
        from: UnsafeRawBufferPointer(rebasing: buffer[start..<(start + count)]))
      start += count
      return count
    }
    return atEOF ? 0 : try source.read(into: destination)
  }
}
