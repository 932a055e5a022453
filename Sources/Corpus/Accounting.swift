// Accounting.swift — "nothing is lost" (DESIGN.md): every input record is written, dropped with a
// reason or rejected with a reason, and `read == written + dropped + rejected` is checked. Counts are
// records; bytes are raw (as stored on disk) and decoded (after decompression). The stats JSON
// layout is Schemas/stats.schema.json; keys are sorted so the file is deterministic but for timing.

/// Record counts by outcome and reason, plus byte counts, for one run or one input.
public struct Accounting: Sendable, Equatable {
  /// Input records seen ("in").
  public var read = 0
  /// Records written.
  public var written = 0
  /// Dropped records by reason.
  public var dropped: [DropReason: Int] = [:]
  /// Rejected records by reason.
  public var rejected: [RejectReason: Int] = [:]
  /// Input files fully read.
  public var files = 0
  /// Raw bytes read from the input files.
  public var rawBytes = 0
  /// Decoded (decompressed) bytes read.
  public var decodedBytes = 0

  /// An empty account.
  public init() {}

  /// All dropped records.
  public var droppedTotal: Int { dropped.values.reduce(0, +) }
  /// All rejected records.
  public var rejectedTotal: Int { rejected.values.reduce(0, +) }
  /// True when `read == written + dropped + rejected`.
  public var isBalanced: Bool { read == written + droppedTotal + rejectedTotal }
  /// rejected / read (0 when nothing was read).
  public var rejectRate: Double { read == 0 ? 0 : Double(rejectedTotal) / Double(read) }

  /// Counts one dropped record.
  public mutating func drop(_ reason: DropReason) { dropped[reason, default: 0] += 1 }
  /// Counts one rejected record.
  public mutating func reject(_ reason: RejectReason) { rejected[reason, default: 0] += 1 }

  /// Adds another account (e.g. one input file's) to this one.
  public mutating func add(_ other: Accounting) {
    read += other.read
    written += other.written
    for (reason, n) in other.dropped { dropped[reason, default: 0] += n }
    for (reason, n) in other.rejected { rejected[reason, default: 0] += n }
    files += other.files
    rawBytes += other.rawBytes
    decodedBytes += other.decodedBytes
  }

  /// One line for stderr:
  /// `in 10 = written 7 + dropped 2 (identical-pair 2) + rejected 1 (invalid-json 1)`.
  public var summary: String {
    func detail<R: RawRepresentable & Comparable>(_ counts: [R: Int]) -> String
    where R.RawValue == String {
      guard !counts.isEmpty else { return "" }
      let parts = counts.keys.sorted().map { "\($0.rawValue) \(counts[$0]!)" }
      return " (" + parts.joined(separator: ", ") + ")"
    }
    return "in \(read) = written \(written) + dropped \(droppedTotal)\(detail(dropped))"
      + " + rejected \(rejectedTotal)\(detail(rejected))"
  }

  /// The stats object of Schemas/stats.schema.json; `seconds` is the wall time of the run.
  public func statsJSON(inputs: [String], format: String, seconds: Double) -> JSONValue {
    func counts<R: RawRepresentable & Comparable>(_ map: [R: Int]) -> JSONValue
    where R.RawValue == String {
      .object(map.keys.sorted().map { (key: $0.rawValue, value: .int(map[$0]!)) })
    }
    let mbPerSecond = seconds > 0 ? Double(decodedBytes) / 1e6 / seconds : 0
    return .object([
      (key: "inputs", value: .array(inputs.map { .string($0) })),
      (key: "format", value: .string(format)),
      (
        key: "records",
        value: .object([
          (key: "in", value: .int(read)),
          (key: "written", value: .int(written)),
          (key: "dropped", value: .int(droppedTotal)),
          (key: "rejected", value: .int(rejectedTotal)),
        ])
      ),
      (key: "dropped", value: counts(dropped)),
      (key: "rejected", value: counts(rejected)),
      (
        key: "bytes",
        value: .object([
          (key: "raw", value: .int(rawBytes)),
          (key: "decoded", value: .int(decodedBytes)),
        ])
      ),
      (
        key: "timing",
        value: .object([
          (key: "seconds", value: .double((seconds * 1000).rounded() / 1000)),
          (key: "decoded_mb_per_s", value: .double((mbPerSecond * 10).rounded() / 10)),
        ])
      ),
    ])
  }
}
