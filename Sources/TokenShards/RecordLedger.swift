// What each record contributed to a conversion, in input order: its id, whether the rank's own
// de-duplication dropped it, the builder's drop reason or the documents it wrote (split, count,
// roles), its token lengths and its counter deltas. `rmprep shard` keeps it next to a rank's part
// (`records.ledger`) so that `rmprep merge` can drop the duplicates of earlier ranks from it
// (`totals`, `writePart`: no tokenization, only copying the kept documents' bytes) instead of
// converting the rank again (`RankConverter.convert` with `assumedSeen`, the reference it is tested
// against). File format: rows of `RecordLedger.width` little-endian Int64s.

import Corpus

#if canImport(Glibc)
import Glibc
#endif

/// The per-record log of one conversion.
public struct RecordLedger: Sendable, Equatable {
  /// One record.
  public struct Row: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
      /// Dropped by the conversion's own de-duplication (before tokenization).
      case duplicate
      /// Tokenized and dropped by the builder.
      case dropped(TargetDropReason)
      /// Wrote these documents (roles in document order) to `split`.
      case documents(split: Split, roles: [String])
    }

    public var id: UInt64
    public var outcome: Outcome
    /// Token lengths before truncation (nil when the target kind does not tokenize the field).
    public var promptLength: Int?
    public var chosenLength: Int?
    public var rejectedLength: Int?
    /// The builder's truncation and special-text counters for this record.
    public var stats: TargetStats

    /// Creates a row.
    public init(
      id: UInt64, outcome: Outcome, promptLength: Int? = nil, chosenLength: Int? = nil,
      rejectedLength: Int? = nil, stats: TargetStats = TargetStats()
    ) {
      self.id = id
      self.outcome = outcome
      self.promptLength = promptLength
      self.chosenLength = chosenLength
      self.rejectedLength = rejectedLength
      self.stats = stats
    }
  }

  /// The rows, in input order.
  public var rows: [Row] = []

  /// Creates a ledger.
  public init(rows: [Row] = []) { self.rows = rows }

  /// Int64s per row in the file.
  public static let width = 16
  /// Example roles by code (a row stores up to 20 roles, 3 bits each).
  static let roleNames = ["correction", "identity", "pair", "sft", "prompt"]

  /// The counters, lengths and per-split kept records of the conversion, with the records whose
  /// id is in `seen` (ids of earlier ranks) counted as `duplicate` drops instead.
  public func totals(droppingSeen seen: Set<UInt64> = []) -> (
    stats: TargetStats, lengths: LengthReport
  ) {
    var stats = TargetStats()
    var lengths = LengthReport()
    for row in rows {
      stats.recordsIn += 1
      if case .duplicate = row.outcome {
        stats.dropped[.duplicate, default: 0] += 1
        continue
      }
      if seen.contains(row.id) {
        stats.dropped[.duplicate, default: 0] += 1
        continue
      }
      stats.merge(row.stats)
      if let n = row.promptLength { lengths.prompt.add(n) }
      if let n = row.chosenLength { lengths.chosen.add(n) }
      if let n = row.rejectedLength { lengths.rejected.add(n) }
      switch row.outcome {
      case .duplicate: break
      case .dropped(let reason): stats.dropped[reason, default: 0] += 1
      case .documents(let split, let roles):
        stats.recordsConverted += 1
        stats.recordsBySplit[split, default: 0] += 1
        for role in roles { stats.examples[role, default: 0] += 1 }
      }
    }
    return (stats, lengths)
  }

  /// Writes the token and mask pairs of `part` (a rank's shard directory, made by the conversion
  /// this ledger logged) to `directory` without the documents of records whose id is in `seen`,
  /// and returns what each split then holds.
  /// - Throws: `ShardError` when the part's files do not match the ledger, or I/O fails.
  public func writePart(from part: String, droppingSeen seen: Set<UInt64>, to directory: String)
    throws -> [Split: SplitSummary]
  {
    if mkdir(directory, 0o755) != 0 && errno != EEXIST {
      throw ShardError.ioFailed(path: directory, errno: errno)
    }
    var splits: [Split: SplitSummary] = [:]
    for split in Split.allCases {
      var keep: [Bool] = []
      var summary = SplitSummary()
      for row in rows {
        guard case .documents(split, let roles) = row.outcome else { continue }
        let kept = !seen.contains(row.id)
        keep += repeatElement(kept, count: roles.count)
        if kept { summary.records += 1 }
      }
      for name in [split.rawValue, split.rawValue + "_mask"] {
        let prefix = part + "/" + name
        let index = try MegatronIndex.decode(
          ShardFiles.read(prefix + ".idx"), path: prefix + ".idx")
        guard index.documentCount == keep.count else {
          throw ShardError.invariantViolated(
            path: prefix + ".idx",
            detail: "has \(index.documentCount) documents, records.ledger lists \(keep.count)")
        }
        let (kept, bin) = try index.keeping(
          keep, bin: ShardFiles.read(prefix + ".bin"), path: prefix)
        try AtomicFile.write(bin, to: directory + "/" + name + ".bin")
        try AtomicFile.write(kept.encoded(), to: directory + "/" + name + ".idx")
        if name == split.rawValue {
          summary.documents = kept.documentCount
          summary.sequences = kept.sequenceLengths.count
          summary.tokens = kept.tokenCount
        } else {
          summary.labelTokens = bin.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
        }
      }
      splits[split] = summary
    }
    return splits
  }

  /// The file bytes.
  public func encoded() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(rows.count * Self.width * 8)
    func put(_ value: Int64) {
      withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }
    for row in rows {
      var kind: Int64 = 0
      var split: Int64 = 0
      var detail: Int64 = 0
      var roles: Int64 = 0
      switch row.outcome {
      case .duplicate: break
      case .dropped(let reason):
        kind = 1
        detail = Int64(TargetDropReason.allCases.firstIndex(of: reason)!)
      case .documents(let s, let names):
        kind = 2
        split = Int64(Split.allCases.firstIndex(of: s)!)
        detail = Int64(names.count)
        for (i, name) in names.enumerated() {
          roles |= Int64(Self.roleNames.firstIndex(of: name)! + 1) << Int64(3 * i)
        }
      }
      let s = row.stats
      put(Int64(bitPattern: row.id))
      for value in [
        kind, split, detail, roles, Int64(row.promptLength ?? -1), Int64(row.chosenLength ?? -1),
        Int64(row.rejectedLength ?? -1), Int64(s.promptsCut), Int64(s.promptTokensCut),
        Int64(s.inputsCut), Int64(s.inputTokensCut), Int64(s.targetsCut), Int64(s.targetTokensCut),
        Int64(s.keptWithoutEOS), Int64(s.specialTextOccurrences),
      ] { put(value) }
    }
    return out
  }

  /// Reads `encoded()` back.
  /// - Throws: `ShardError.badHeader` naming `path` and the first bad row.
  public static func decode(_ bytes: [UInt8], path: String) throws -> RecordLedger {
    let rowBytes = width * 8
    guard bytes.count % rowBytes == 0 else {
      throw ShardError.badHeader(
        path: path, expected: "a multiple of \(rowBytes) bytes", found: "\(bytes.count) bytes")
    }
    var rows: [Row] = []
    rows.reserveCapacity(bytes.count / rowBytes)
    var v = [Int64](repeating: 0, count: width)
    for start in stride(from: 0, to: bytes.count, by: rowBytes) {
      for k in 0..<width {
        var value: UInt64 = 0
        for b in 0..<8 { value |= UInt64(bytes[start + 8 * k + b]) << UInt64(8 * b) }
        v[k] = Int64(bitPattern: value)
      }
      func bad(_ what: String) -> ShardError {
        .badHeader(path: path, expected: what, found: "row \(start / rowBytes): \(v)")
      }
      let outcome: Row.Outcome
      switch v[1] {
      case 0: outcome = .duplicate
      case 1:
        guard TargetDropReason.allCases.indices.contains(Int(v[3])) else {
          throw bad("a drop reason code")
        }
        outcome = .dropped(TargetDropReason.allCases[Int(v[3])])
      case 2:
        guard Split.allCases.indices.contains(Int(v[2])), (0...20).contains(v[3]) else {
          throw bad("a split code and a document count")
        }
        var names: [String] = []
        for i in 0..<Int(v[3]) {
          let code = Int((v[4] >> Int64(3 * i)) & 7) - 1
          guard roleNames.indices.contains(code) else { throw bad("role codes") }
          names.append(roleNames[code])
        }
        outcome = .documents(split: Split.allCases[Int(v[2])], roles: names)
      default: throw bad("an outcome code 0, 1 or 2")
      }
      guard v[8...].allSatisfy({ $0 >= 0 }) else { throw bad("non-negative counters") }
      var stats = TargetStats()
      stats.promptsCut = Int(v[8])
      stats.promptTokensCut = Int(v[9])
      stats.inputsCut = Int(v[10])
      stats.inputTokensCut = Int(v[11])
      stats.targetsCut = Int(v[12])
      stats.targetTokensCut = Int(v[13])
      stats.keptWithoutEOS = Int(v[14])
      stats.specialTextOccurrences = Int(v[15])
      rows.append(
        Row(
          id: UInt64(bitPattern: v[0]), outcome: outcome,
          promptLength: v[5] >= 0 ? Int(v[5]) : nil, chosenLength: v[6] >= 0 ? Int(v[6]) : nil,
          rejectedLength: v[7] >= 0 ? Int(v[7]) : nil, stats: stats))
    }
    return RecordLedger(rows: rows)
  }
}
