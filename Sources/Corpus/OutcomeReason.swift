// OutcomeReason.swift — the one list of reasons a record is dropped or rejected (STYLE D5.5).
// Names are kebab-case and stable: they appear in stats files, rejects files, fixture expectations
// (Fixtures/<format>/expect.json) and Schemas/stats.schema.json. Add a case here, never a string
// elsewhere. Dropped = valid input deliberately not written; rejected = input we could not read.

/// Why a well-formed input record was not written.
public enum DropReason: String, Sendable, CaseIterable, Comparable {
  /// chosen and rejected are byte-identical (K06/K17: no preference signal).
  case identicalPair = "identical-pair"
  /// chosen or rejected is empty or only whitespace (K11).
  case emptyResponse = "empty-response"
  /// The prompt is empty or only whitespace where the format requires one.
  case emptyPrompt = "empty-prompt"
  /// hh-rlhf / implicit-prompt rows whose transcripts share no complete turn (FORMATS.md §1).
  case noCommonPrompt = "no-common-prompt"
  /// The annotation states no preference (SHP/helpsteer2 strength 0, equal ratings, PKU tie).
  case tiedPreference = "tied-preference"
  /// A score that decides the pair order is not a finite number (K05: "N/A", NaN).
  case nonFiniteScore = "non-finite-score"
  /// A record of the format that is not a preference pair (e.g. a TL;DR axis evaluation).
  case notAPair = "not-a-pair"
  /// Tokenized chosen and rejected are identical after truncation (K17; set by the shard stage).
  case identicalAfterTruncation = "identical-after-truncation"
  /// Not even one completion token fits in `--max-len` (K18; set by the shard stage).
  case noRoomForCompletion = "no-room-for-completion"
  /// The target lost its EOS to truncation (DESIGN.md "Truncation"; set by the shard stage).
  case targetTruncated = "target-truncated"
  /// Stack Exchange: a question with fewer than two answers, so nothing to compare.
  case tooFewAnswers = "too-few-answers"
  /// Stack Exchange: an answer in no written pair (its pm_score ties every sibling, or
  /// `--max-pairs-per-question` / `--min-score-gap` left it out).
  case unpairedAnswer = "unpaired-answer"
  /// Stack Exchange: an answer whose `ParentId` names no question in the file.
  case orphanAnswer = "orphan-answer"

  public static func < (a: DropReason, b: DropReason) -> Bool { a.rawValue < b.rawValue }
}

/// Why an input record could not be read.
public enum RejectReason: String, Sendable, CaseIterable, Comparable {
  /// Not RFC 8259 JSON (syntax error, bad escape, control character, leading zeros, …).
  case invalidJSON = "invalid-json"
  /// Bytes that are not well-formed UTF-8 (K14: RFC 8259 requires UTF-8; never replaced).
  case invalidUTF8 = "invalid-utf8"
  /// A `\uD800`–`\uDFFF` escape without its partner.
  case loneSurrogate = "lone-surrogate"
  /// `NaN`, `Infinity` or `-Infinity` (K05).
  case nonFiniteNumber = "non-finite-number"
  /// The same key twice in one object (K06: ambiguous, so rejected).
  case duplicateKey = "duplicate-key"
  /// Bytes after the record's JSON value on the same line.
  case trailingGarbage = "trailing-garbage"
  /// A byte-order mark at the start of a line other than the first (K04: `cat`-ed files).
  case strayBOM = "stray-bom"
  /// The record is not a JSON object.
  case notAnObject = "not-an-object"
  /// A field the format requires is absent or null.
  case missingField = "missing-field"
  /// A field has the wrong JSON type (a number where a string is required, …).
  case wrongType = "wrong-type"
  /// A field has the right type but an impossible value (`choice: 7`, unknown role, …).
  case invalidValue = "invalid-value"
  /// XML that is not well-formed (K08); only counted with `--xml-recover`, else the file fails.
  case malformedXML = "malformed-xml"

  public static func < (a: RejectReason, b: RejectReason) -> Bool { a.rawValue < b.rawValue }

  /// The reason for a JSON parser error, read from the parser's detail text.
  public static func forJSONError(detail: String) -> RejectReason {
    if detail.hasPrefix("duplicate key") { return .duplicateKey }
    if detail.hasPrefix("NaN and Infinity") { return .nonFiniteNumber }
    if detail.contains("surrogate") { return .loneSurrogate }
    if detail.contains("UTF-8") { return .invalidUTF8 }
    if detail.hasPrefix("unexpected data after") { return .trailingGarbage }
    return .invalidJSON
  }
}

/// A record the adapter could not use: the reason, and a detail naming the field.
public struct RecordRejection: Error, Sendable, Equatable, CustomStringConvertible {
  /// The counted reason.
  public var reason: RejectReason
  /// What exactly is wrong (`field 'chosen' is a number, expected a string`).
  public var detail: String

  /// Creates a rejection.
  public init(_ reason: RejectReason, _ detail: String) {
    self.reason = reason
    self.detail = detail
  }

  public var description: String { "\(reason.rawValue): \(detail)" }

  /// A required field is absent or null.
  public static func missing(_ field: String) -> RecordRejection {
    RecordRejection(.missingField, "missing field '\(field)'")
  }

  /// A field has the wrong JSON type.
  public static func wrongType(_ field: String, expected: String) -> RecordRejection {
    RecordRejection(.wrongType, "field '\(field)' is not \(expected)")
  }
}
