// RecordPipeline.swift — the ingest loop shared by `rmprep convert` with and without a tokenizer:
// inputs → container decoding → JSONL/JSON-array records (or a whole-input reader) → format adapter
// → common drops → the caller's closure, with every record accounted for (Accounting.swift).
// Single-threaded and in input order, so output is byte-identical across runs. Sources are
// `path:line` (the line where the record starts; `<stdin>` for `-`).

/// What the caller did with an accepted record.
public enum RecordDisposition: Sendable, Equatable {
  /// The record was written.
  case written
  /// The caller dropped it (e.g. `identicalAfterTruncation` after tokenization).
  case dropped(DropReason)
}

/// A rejected input record, as kept in the `--rejects` file.
public struct RejectedRecord: Sendable, Equatable {
  /// `path:line` (or `path:row-id`).
  public var source: String
  /// The counted reason.
  public var reason: RejectReason
  /// The full message: `path:line:column: invalid JSON: duplicate key "chosen"`.
  public var message: String
  /// The raw input bytes of the record (the line without its newline).
  public var raw: [UInt8]
}

/// Settings of one pipeline run.
public struct PipelineOptions: Sendable {
  /// A registry format name, or `auto` to sniff each input.
  public var format = "auto"
  /// Options passed to the format (`prefer`, `map`).
  public var formatOptions = FormatOptions()
  /// Skip this many input records of the run before reading (debugging; skipped records are not counted).
  public var skip = 0
  /// Stop after this many input records (debugging).
  public var limit: Int?

  /// Default options: `--format auto`, no skip, no limit.
  public init() {}
}

/// Streams inputs into normalized records and accounts for every one.
///
///     let pipeline = try RecordPipeline(options: options)
///     pipeline.onReject = { rejected in try rejectsFile.write(rejected) }
///     let totals = try pipeline.run(inputs: ["a.jsonl.gz"]) { record in
///       try output.write(record); return .written
///     }
///     assert(totals.isBalanced)
public final class RecordPipeline {
  /// The run's settings.
  public let options: PipelineOptions
  /// The formats available.
  public let registry: FormatRegistry
  /// Totals so far (complete after `run` returns).
  public private(set) var accounting = Accounting()
  /// One account per input, in input order, with the format used.
  public private(set) var perInput: [(path: String, format: String, accounting: Accounting)] = []
  /// Called once per rejected record, in order (write it to a rejects file).
  public var onReject: ((RejectedRecord) throws -> Void)?
  /// Polled once per record; when it returns true, `run` throws `PipelineStopped`.
  public var shouldStop: () -> Bool = { false }

  private let fixedReader: InputFormat.Reader?
  private var remainingSkip: Int
  private var seen = 0

  /// Prepares a run: checks the format name and its options.
  /// - Throws: `FormatOptionError` for an unknown format or a bad option (a usage error).
  public init(options: PipelineOptions, registry: FormatRegistry = .standard) throws {
    self.options = options
    self.registry = registry
    fixedReader =
      options.format == "auto"
      ? nil : try registry.format(named: options.format).makeReader(options.formatOptions)
    remainingSkip = options.skip
  }

  /// Reads every input in order and calls `body` for each accepted record.
  /// - Returns: the totals (also in `accounting`).
  /// - Throws: `CorpusError` for an input that cannot be read as a whole (truncated, LFS pointer,
  ///   unknown format), `PipelineStopped`, or whatever `body` / `onReject` throw.
  @discardableResult
  public func run(
    inputs: [String], _ body: (PreferenceRecord) throws -> RecordDisposition
  ) throws -> Accounting {
    for path in inputs {
      let opened = try InputOpener.open(path: path)
      try run(opened, body)
    }
    return accounting
  }

  /// Like `run(inputs:_:)`, but hands over each accepted record's JSONL line (exactly the bytes
  /// of `PreferenceRecord.appendJSONLine`) instead of the record. hh-rlhf and trl-standard records
  /// take the byte-level fast path (RecordLineWriter.swift); every other record is converted as in
  /// `run`. The buffer is borrowed: copy it if you keep it.
  @discardableResult
  public func runWritingLines(
    inputs: [String], _ write: (UnsafeRawBufferPointer) throws -> Void
  ) throws -> Accounting {
    for path in inputs {
      try runWritingLines(try InputOpener.open(path: path, readAhead: true), write)
    }
    return accounting
  }

  /// `runWritingLines` for one opened input.
  public func runWritingLines(
    _ opened: OpenedInput, _ write: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    var line: [UInt8] = []
    try run(
      opened,
      { record in
        line.removeAll(keepingCapacity: true)
        record.appendJSONLine(to: &line)
        try line.withUnsafeBytes { try write($0) }
        return .written
      }, lineSink: write, fastPath: true)
  }

  /// Reads one opened input (used by `run(inputs:)` and by tests over in-memory sources).
  public func run(
    _ opened: OpenedInput, _ body: (PreferenceRecord) throws -> RecordDisposition
  ) throws {
    try run(opened, body, lineSink: { _ in }, fastPath: false)
  }

  private func run(
    _ opened: OpenedInput, _ body: (PreferenceRecord) throws -> RecordDisposition,
    lineSink: (UnsafeRawBufferPointer) throws -> Void, fastPath: Bool
  ) throws {
    var account = Accounting()
    var formatName = options.format
    let source = opened.source
    var reader = fixedReader
    var replay: ByteSource = source
    if reader == nil {
      let head = try Self.readHead(source, count: 4096)
      replay = PrefixedSource(prefix: head, base: source)
      if let found = registry.sniff(head: head, options: options.formatOptions) {
        reader = .wholeInput(found.reader)
        formatName = found.name
      }
    }
    defer {
      account.files = 1
      account.rawBytes = opened.raw.rawBytesRead
      accounting.files += 1
      accounting.rawBytes += account.rawBytes
      perInput.append((source.name, formatName, account))
    }
    if case .wholeInput(let whole) = reader {
      let counted = PrefixedSource(prefix: [], base: replay)  // decoded bytes, for the stats
      defer {
        account.decodedBytes = counted.bytesServed
        accounting.decodedBytes += account.decodedBytes
      }
      try whole.read(counted) { outcome in
        guard try admit() else { return }
        try handle(
          outcome.result, source: outcome.source, raw: { outcome.raw }, account: &account, body)
      }
      return
    }
    var adapter: (any RecordAdapter)? = nil {
      didSet { fastRule = fastPath ? (adapter as? FastPathAdapter)?.fastRule : nil }
    }
    var fastRule: FastRule? = nil  // the adapter's, looked up once (not per record)
    if case .jsonRecords(let fixed) = reader { adapter = fixed }
    // Fast-path records wait in `fast` (ids are hashed per batch); a record the general path
    // writes must come after them, so it flushes them first. After an error nothing more is
    // written: the caller discards the output.
    var fast = RecordLineWriter()
    func flushFast() throws { try fast.flush(lineSink) }
    var escapedName: [UInt8] = []
    JSONWriter.writeString(source.name, into: &escapedName)
    escapedName = Array(escapedName.dropFirst().dropLast())
    let lines = LineReader(replay)
    defer {
      account.decodedBytes = lines.decodedBytesRead
      accounting.decodedBytes += account.decodedBytes
    }
    func perRecord(_ bytes: UnsafeRawBufferPointer, _ line: Int) throws {
      guard try self.admit() else { return }
      if let rule = fastRule,
        let outcome = fast.convert(bytes, rule: rule, sourceName: escapedName, line: line)
      {
        account.read += 1
        accounting.read += 1
        switch outcome {
        case .written:
          account.written += 1
          accounting.written += 1
          if fast.pendingBytes >= Self.fastBatchBytes { try flushFast() }
        case .dropped(let reason):
          account.drop(reason)
          accounting.drop(reason)
        }
        return
      }
      let sourceText = "\(source.name):\(line)"
      let parsed = Self.parseRecord(bytes, path: source.name, line: line)
      if adapter == nil, case .success(let value) = parsed, case .object = value {
        guard let found = self.registry.sniff(record: value, options: self.options.formatOptions)
        else {
          let keys = value.objectValue!.prefix(8).map(\.key).joined(separator: ", ")
          throw CorpusError.unknownFormat(
            path: source.name,
            detail: "line \(line): a record with keys [\(keys)] matches no format; pass --format")
        }
        adapter = found.adapter
        formatName = found.name
      }
      let result: Result<AdapterResult, RecordRejection>
      switch parsed {
      case .failure(let rejection): result = .failure(rejection)
      case .success(let value):
        result = Result { () throws(RecordRejection) -> AdapterResult in try adapter!.convert(value)
        }
      }
      try flushFast()
      try self.handle(result, source: sourceText, raw: { Array(bytes) }, account: &account, body)
    }
    if try lines.firstNonSpaceByte() == UInt8(ascii: "[") {
      try lines.forEachArrayElement { element, line, _ in try perRecord(element, line) }
    } else {
      try lines.forEachLine { line, number, _ in
        if Self.isBlank(line) { return }
        try perRecord(line, number)
      }
    }
    try flushFast()
  }

  /// Output bytes of fast-path records collected before they are hashed and written together
  /// (1 MiB: the output file writes a chunk this large without copying it into its buffer).
  static let fastBatchBytes = 1 << 20

  /// Counts one outcome and passes accepted pairs to `body`.
  private func handle(
    _ result: Result<AdapterResult, RecordRejection>, source: String, raw: () -> [UInt8],
    account: inout Accounting, _ body: (PreferenceRecord) throws -> RecordDisposition
  ) throws {
    account.read += 1
    accounting.read += 1
    switch result {
    case .failure(let rejection):
      account.reject(rejection.reason)
      accounting.reject(rejection.reason)
      let message =
        rejection.detail.hasPrefix(source) ? rejection.detail : "\(source): \(rejection.detail)"
      try onReject?(
        RejectedRecord(source: source, reason: rejection.reason, message: message, raw: raw()))
    case .success(.dropped(let reason)):
      account.drop(reason)
      accounting.drop(reason)
    case .success(.pair(let prompt, let chosen, let rejected, let meta)):
      if let reason = Self.commonDrop(chosen: chosen, rejected: rejected) {
        account.drop(reason)
        accounting.drop(reason)
        return
      }
      let record = PreferenceRecord(
        source: source, prompt: prompt, chosen: chosen, rejected: rejected, meta: meta)
      switch try body(record) {
      case .written:
        account.written += 1
        accounting.written += 1
      case .dropped(let reason):
        account.drop(reason)
        accounting.drop(reason)
      }
    }
  }

  /// Applies skip/limit and cancellation; false means "skip this record".
  private func admit() throws -> Bool {
    if shouldStop() { throw PipelineStopped() }
    if remainingSkip > 0 {
      remainingSkip -= 1
      return false
    }
    if let limit = options.limit, seen >= limit { return false }
    seen += 1
    return true
  }

  /// The drops every format shares: identical responses, empty or whitespace-only responses.
  public static func commonDrop(chosen: String, rejected: String) -> DropReason? {
    if isBlank(chosen) || isBlank(rejected) { return .emptyResponse }
    if chosen == rejected { return .identicalPair }
    return nil
  }

  /// Parses one record's bytes strictly; parser errors become rejections with their reason.
  static func parseRecord(_ bytes: UnsafeRawBufferPointer, path: String, line: Int) -> Result<
    JSONValue, RecordRejection
  > {
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
      return .failure(
        RecordRejection(
          .strayBOM, "\(path):\(line):1: byte-order mark inside the file (concatenated files?)"))
    }
    do {
      let value = try JSONParser.parse(bytes, path: path, firstLine: line)
      guard case .object = value else {
        return .failure(
          RecordRejection(.notAnObject, "\(path):\(line): record is not a JSON object"))
      }
      return .success(value)
    } catch let CorpusError.malformedJSON(at, detail) {
      let reason = RejectReason.forJSONError(detail: detail)
      return .failure(RecordRejection(reason, "\(at): invalid JSON: \(detail)"))
    } catch {
      return .failure(RecordRejection(.invalidJSON, "\(path):\(line): \(error)"))
    }
  }

  static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
    bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
  }

  /// True when `text` is empty or only Unicode whitespace.
  public static func isBlank(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
  }

  static func readHead(_ source: ByteSource, count: Int) throws -> [UInt8] {
    var head = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let n = try head.withUnsafeMutableBytes { buffer in
        try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
      }
      if n == 0 { break }
      filled += n
    }
    head.removeSubrange(filled...)
    return head
  }
}

/// Thrown by `RecordPipeline.run` when `shouldStop` returned true (Ctrl-C).
public struct PipelineStopped: Error, Sendable, CustomStringConvertible {
  public var description: String { "stopped before the end of the input" }
}

/// Adapters whose records the byte-level fast path can convert (RecordLineWriter.swift).
protocol FastPathAdapter {
  /// The rule applied, or nil when this configuration has no fast path.
  var fastRule: FastRule? { get }
}

extension TRLAdapter: FastPathAdapter {
  var fastRule: FastRule? { .trlStandard }
}

extension HHRLHFAdapter: FastPathAdapter {
  var fastRule: FastRule? { .hhRLHF }
}
