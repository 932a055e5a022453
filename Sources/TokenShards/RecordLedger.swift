// What each record contributed to a conversion, in input order: its id, whether the rank's own
// de-duplication dropped it, the builder's drop reason or the documents it wrote (split, count,
// roles), its token lengths and its counter deltas. `rmprep shard` keeps it next to a rank's part
// (`records.ledger`) so that `rmprep merge` can drop the duplicates of earlier ranks from it
// (`totals`, `documentFlags`: no tokenization, only copying the kept documents' bytes) instead of
// converting the rank again (`RankConverter.convert` with `assumedSeen`, the reference it is tested
// against). File format, per row: the id as 8 little-endian bytes, then `RecordLedger.fields`
// unsigned LEB128 varints (outcome, split, document count or drop reason, roles, the three lengths
// plus 1 with 0 for none, the eight counters): about 23 bytes for a typical record.

import Corpus

/// The per-record log of one conversion.
public struct RecordLedger: Sendable, Equatable {
  /// One record.
  public struct Row: Sendable, Equatable {
    /// What became of the record.
    public enum Outcome: Sendable, Equatable {
      /// Dropped by the conversion's own de-duplication (before tokenization).
      case duplicate
      /// Tokenized and dropped by the builder.
      case dropped(TargetDropReason)
      /// Wrote these documents (roles in document order) to `split`.
      case documents(split: Split, roles: [String])
    }

    /// `UInt64(record.id, radix: 16)`.
    public var id: UInt64
    /// What became of it.
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

  /// Varints per row after the id.
  public static let fields = 15
  /// Drop reasons and splits by code, built once (`allCases` builds a new array per call, which
  /// `scan` would otherwise do for every row).
  static let dropReasons = TargetDropReason.allCases
  static let splits = Split.allCases
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

  /// One flag per document the conversion wrote to `split`, in order, false for the documents of
  /// records whose id is in `seen`; and the number of records whose documents are kept.
  public func documentFlags(split: Split, droppingSeen seen: Set<UInt64>) -> (
    keep: [Bool], records: Int
  ) {
    var keep: [Bool] = []
    var records = 0
    for row in rows {
      guard case .documents(split, let roles) = row.outcome else { continue }
      let kept = !seen.contains(row.id)
      keep += repeatElement(kept, count: roles.count)
      if kept { records += 1 }
    }
    return (keep, records)
  }

  /// The file bytes.
  public func encoded() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(rows.count * 24)
    func varint(_ value: Int) {
      var v = UInt64(value)
      while v >= 0x80 {
        out.append(UInt8(v & 0x7F) | 0x80)
        v >>= 7
      }
      out.append(UInt8(v))
    }
    for row in rows {
      var kind = 0
      var split = 0
      var detail = 0
      var roles = 0
      switch row.outcome {
      case .duplicate: break
      case .dropped(let reason):
        kind = 1
        detail = TargetDropReason.allCases.firstIndex(of: reason)!
      case .documents(let s, let names):
        kind = 2
        split = Split.allCases.firstIndex(of: s)!
        detail = names.count
        for (i, name) in names.enumerated() {
          roles |= (Self.roleNames.firstIndex(of: name)! + 1) << (3 * i)
        }
      }
      withUnsafeBytes(of: row.id.littleEndian) { out.append(contentsOf: $0) }
      let s = row.stats
      for value in [
        kind, split, detail, roles, (row.promptLength ?? -1) + 1, (row.chosenLength ?? -1) + 1,
        (row.rejectedLength ?? -1) + 1, s.promptsCut, s.promptTokensCut, s.inputsCut,
        s.inputTokensCut, s.targetsCut, s.targetTokensCut, s.keptWithoutEOS,
        s.specialTextOccurrences,
      ] { varint(value) }
    }
    return out
  }

  /// Reads `encoded()` back.
  /// - Throws: `ShardError.badHeader` naming `path` and the first bad row.
  public static func decode(_ bytes: [UInt8], path: String) throws -> RecordLedger {
    var rows: [Row] = []
    rows.reserveCapacity(bytes.count / 24)
    try scan(bytes, path: path) { id, v in
      let outcome: Row.Outcome
      switch v[0] {
      case 0: outcome = .duplicate
      case 1: outcome = .dropped(dropReasons[v[2]])
      default:
        var names: [String] = []
        names.reserveCapacity(v[2])
        for i in 0..<v[2] { names.append(roleNames[((v[3] >> (3 * i)) & 7) - 1]) }
        outcome = .documents(split: splits[v[1]], roles: names)
      }
      rows.append(
        Row(
          id: id, outcome: outcome, promptLength: v[4] > 0 ? v[4] - 1 : nil,
          chosenLength: v[5] > 0 ? v[5] - 1 : nil, rejectedLength: v[6] > 0 ? v[6] - 1 : nil,
          stats: counters(v)))
    }
    return RecordLedger(rows: rows)
  }

  /// The row's truncation and special-text counters (fields 7…14).
  static func counters(_ v: UnsafeBufferPointer<Int>) -> TargetStats {
    var stats = TargetStats()
    stats.promptsCut = v[7]
    stats.promptTokensCut = v[8]
    stats.inputsCut = v[9]
    stats.inputTokensCut = v[10]
    stats.targetsCut = v[11]
    stats.targetTokensCut = v[12]
    stats.keptWithoutEOS = v[13]
    stats.specialTextOccurrences = v[14]
    return stats
  }

  /// Calls `body` with each row's id and its `fields` values, checked: outcome 0…2, a drop
  /// reason's code, a split code, at most 20 documents with valid role codes.
  /// - Throws: `ShardError.badHeader` naming `path` and the first bad row.
  static func scan(
    _ bytes: [UInt8], path: String, _ body: (UInt64, UnsafeBufferPointer<Int>) throws -> Void
  ) throws {
    var at = 0
    var rowNumber = 0
    var values = [Int](repeating: 0, count: fields)
    try values.withUnsafeMutableBufferPointer { v in
      while at < bytes.count {
        func bad(_ what: String) -> ShardError {
          .badHeader(path: path, expected: what, found: "row \(rowNumber) at byte \(at)")
        }
        guard at + 8 <= bytes.count else { throw bad("an 8-byte id") }
        var id: UInt64 = 0
        for b in 0..<8 { id |= UInt64(bytes[at + b]) << UInt64(8 * b) }
        at += 8
        for k in 0..<fields {
          var value: UInt64 = 0
          var shift: UInt64 = 0
          while true {
            guard at < bytes.count, shift < 63 else { throw bad("\(fields) varints") }
            let byte = bytes[at]
            at += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
          }
          guard value <= UInt64(Int.max) else { throw bad("counters below 2^63") }
          v[k] = Int(value)
        }
        switch v[0] {
        case 0: break
        case 1:
          guard dropReasons.indices.contains(v[2]) else {
            throw bad("a drop reason code")
          }
        case 2:
          guard splits.indices.contains(v[1]), (0...20).contains(v[2]) else {
            throw bad("a split code and a document count")
          }
          for i in 0..<v[2] {
            guard roleNames.indices.contains(((v[3] >> (3 * i)) & 7) - 1) else {
              throw bad("role codes")
            }
          }
        default: throw bad("an outcome code 0, 1 or 2")
        }
        try body(id, UnsafeBufferPointer(v))
        rowNumber += 1
      }
    }
  }
}
