// FormatAdapter.swift — the two kinds of input format reader (the registry holds one per `--format`):
//  * `RecordAdapter`: the input is JSONL or a JSON array; the pipeline parses each record strictly and
//    hands the adapter one `JSONValue` at a time (hh-rlhf, trl, shp, …);
//  * `WholeInputReader`: the adapter reads the decoded bytes itself and reports one outcome per input
//    record (Stack Exchange `Posts.xml`, which pairs answers across the whole file).
// Either way every input record yields exactly one outcome, so the accounting stays whole.

/// What one input record became, as decided by an adapter.
public enum AdapterResult: Sendable, Equatable {
  /// A preference pair. The pipeline computes the id, fills `source` and applies the common drops.
  case pair(prompt: String, chosen: String, rejected: String, meta: JSONValue)
  /// A valid record that is deliberately not written.
  case dropped(DropReason)
}

/// Options a format may read (`--prefer`, `--map`, and free-form `key=value` settings).
public struct FormatOptions: Sendable, Equatable {
  /// Settings by name, e.g. `prefer` → `safer`, `map` → `prompt=a.b,chosen=c,rejected=d`.
  public var values: [String: String]

  /// Creates options from name → value settings.
  public init(_ values: [String: String] = [:]) { self.values = values }

  /// The value of a setting, or nil.
  public subscript(_ name: String) -> String? { values[name] }
}

/// Converts one parsed JSON record of a line-based (JSONL or JSON-array) format.
///
/// Implementations are small value types: no I/O, no state between records (so the output is the
/// same whatever the thread count or file split).
public protocol RecordAdapter: Sendable {
  /// Whether `value` (the first record of an input) looks like this format, for `--format auto`.
  func matches(_ value: JSONValue) -> Bool
  /// Converts one record.
  /// - Throws: `RecordRejection` naming the field and what is wrong with it.
  func convert(_ value: JSONValue) throws(RecordRejection) -> AdapterResult
}

/// One input record's outcome, as reported by a `WholeInputReader`.
public struct InputRecordOutcome: Sendable {
  /// `path:line` or `path:row-id`: becomes the record's `source`.
  public var source: String
  /// The converted result, or why the record was rejected.
  public var result: Result<AdapterResult, RecordRejection>
  /// The raw input bytes of the record (kept in the rejects file when rejected).
  public var raw: [UInt8]

  /// Creates an outcome.
  public init(source: String, result: Result<AdapterResult, RecordRejection>, raw: [UInt8] = []) {
    self.source = source
    self.result = result
    self.raw = raw
  }
}

/// Reads a whole (decoded) input itself, for formats that are not one JSON record per line.
public protocol WholeInputReader: Sendable {
  /// Whether the first bytes of an input (after decompression) look like this format.
  func matches(head: [UInt8]) -> Bool
  /// Reads `source` to its end, calling `emit` once per input record, in a deterministic order.
  /// - Parameters:
  ///   - source: the decoded bytes; `source.name` is the display path for `source` strings.
  ///   - emit: receives each record's outcome; it may throw to stop (cancellation, output errors).
  /// - Throws: `CorpusError` for problems that make the whole input unreadable.
  func read(_ source: ByteSource, emit: (InputRecordOutcome) throws -> Void) throws
}

/// A named input format: the `--format NAME` entry of the registry.
public struct InputFormat: Sendable {
  /// How records of this format are read.
  public enum Reader: Sendable {
    /// JSONL or a JSON array; the adapter converts each parsed record.
    case jsonRecords(any RecordAdapter)
    /// The reader consumes the whole input.
    case wholeInput(any WholeInputReader)
  }

  /// The `--format` value (`hh-rlhf`, `trl`, …).
  public let name: String
  /// One line for `--help` and the README.
  public let summary: String
  /// The reader, built for the given options.
  public let makeReader: @Sendable (FormatOptions) throws -> Reader

  /// Creates a format entry. `makeReader` validates the options and throws `FormatOptionError`.
  public init(
    name: String, summary: String,
    makeReader: @escaping @Sendable (FormatOptions) throws -> Reader
  ) {
    self.name = name
    self.summary = summary
    self.makeReader = makeReader
  }
}

/// A format option has a bad value (a usage error: the CLI exits 64).
public struct FormatOptionError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, lowercase, naming the option.
  public let message: String
  /// Creates the error.
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
