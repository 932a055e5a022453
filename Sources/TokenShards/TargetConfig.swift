// Stage-3 configuration (the `rmprep convert --targets` flags) and the accounting it produces:
// drop reasons (kebab-case, STYLE.md D5.5), truncation counters, example counts. Both are written into
// the stream header / trailer and the manifest, so they are JSON round-trippable.

import Corpus

/// How records become training examples. Defaults follow DESIGN.md and METHOD.md §8.
public struct TargetConfig: Sendable, Equatable {
  /// Which examples to build.
  public var kind: TargetKind
  /// Longest sequence in tokens, specials included; nil = no limit.
  public var maxLength: Int?
  /// Fraction r ∈ [0, 1] of pairs that also get an identity example (seq2seq), chosen by id hash.
  public var identityRatio: Double
  /// Fraction of records (by id hash) in the validation split.
  public var validationFraction: Double
  /// Drop exact-duplicate records (same id) after the first. Costs one set entry per kept record.
  public var deduplicate: Bool
  /// Keep examples whose target lost its EOS to truncation (default: drop them, counted).
  public var keepTruncatedTargets: Bool
  /// Roll to a new shard after this many tokens in a split (0 = one shard per split).
  public var shardTokens: Int

  /// Creates a configuration.
  public init(
    kind: TargetKind, maxLength: Int? = nil, identityRatio: Double = 1,
    validationFraction: Double = 0.05, deduplicate: Bool = true,
    keepTruncatedTargets: Bool = false, shardTokens: Int = 0
  ) {
    self.kind = kind
    self.maxLength = maxLength
    self.identityRatio = identityRatio
    self.validationFraction = validationFraction
    self.deduplicate = deduplicate
    self.keepTruncatedTargets = keepTruncatedTargets
    self.shardTokens = shardTokens
  }

  /// Checks ranges.
  /// - Throws: `ShardError.invalidConfiguration`.
  public func validate() throws {
    if let maxLength, maxLength < 4 {
      throw ShardError.invalidConfiguration(detail: "max length \(maxLength) is below 4 tokens")
    }
    guard (0...1).contains(identityRatio) else {
      throw ShardError.invalidConfiguration(
        detail: "identity ratio \(identityRatio) is not in [0, 1]")
    }
    guard (0...1).contains(validationFraction) else {
      throw ShardError.invalidConfiguration(
        detail: "validation fraction \(validationFraction) is not in [0, 1]")
    }
    guard shardTokens >= 0 else {
      throw ShardError.invalidConfiguration(detail: "shard tokens \(shardTokens) is negative")
    }
  }

  /// The configuration as JSON (manifest `config`, stream header).
  public var jsonValue: JSONValue {
    .object([
      (key: "targets", value: .string(kind.rawValue)),
      (key: "max_len", value: maxLength.map { .int($0) } ?? .null),
      (key: "identity_ratio", value: .double(identityRatio)),
      (key: "val_fraction", value: .double(validationFraction)),
      (key: "dedup", value: .bool(deduplicate)),
      (key: "keep_truncated_targets", value: .bool(keepTruncatedTargets)),
      (key: "shard_tokens", value: .int(shardTokens)),
    ])
  }

  /// Reads `jsonValue` back.
  /// - Throws: `ShardError.invariantViolated` naming `path`.
  public init(json: JSONValue, path: String) throws {
    func bad(_ field: String) -> ShardError {
      .invariantViolated(path: path, detail: "config.\(field) is missing or invalid")
    }
    guard let kindText = json["targets"]?.stringValue, let kind = TargetKind(rawValue: kindText)
    else { throw bad("targets") }
    guard let ratio = json["identity_ratio"]?.doubleValue else { throw bad("identity_ratio") }
    guard let fraction = json["val_fraction"]?.doubleValue else { throw bad("val_fraction") }
    guard let dedup = json["dedup"]?.boolValue else { throw bad("dedup") }
    guard let keep = json["keep_truncated_targets"]?.boolValue else {
      throw bad("keep_truncated_targets")
    }
    guard let shardTokens = json["shard_tokens"]?.intValue else { throw bad("shard_tokens") }
    let maxLength: Int?
    if let value = json["max_len"], !value.isNull {
      guard let n = value.intValue else { throw bad("max_len") }
      maxLength = n
    } else {
      maxLength = nil
    }
    self.init(
      kind: kind, maxLength: maxLength, identityRatio: ratio, validationFraction: fraction,
      deduplicate: dedup, keepTruncatedTargets: keep, shardTokens: shardTokens)
  }
}

/// Why a record produced no examples. Raw values are the names in manifests and summaries.
public enum TargetDropReason: String, Sendable, CaseIterable {
  /// Same id (same prompt, chosen, rejected) as an earlier record (`--dedup`).
  case duplicate = "duplicate"
  /// A response tokenized to nothing.
  case emptyCompletion = "empty-response"
  /// Chosen and rejected (or correction and identity) became the same ids after truncation (K17).
  case identicalAfterTruncation = "identical-after-truncation"
  /// A target lost its EOS to truncation and `keepTruncatedTargets` is off.
  case targetLostEOS = "target-truncated"
  /// Not even one completion (or prompt) token fits in `maxLength` (K18).
  case noRoom = "no-room-for-completion"
}

/// Counters of one conversion; merged in input order, so they do not depend on the thread count.
public struct TargetStats: Sendable, Equatable {
  /// Records handed to the builder (after upstream ingest drops).
  public var recordsIn = 0
  /// Records that produced examples.
  public var recordsConverted = 0
  /// Records dropped, by reason.
  public var dropped: [TargetDropReason: Int] = [:]
  /// Records in each split (converted ones only).
  public var recordsBySplit: [Split: Int] = [:]
  /// Examples by role: `correction`, `identity` (seq2seq), `pair` (pairs), `sft`, `prompt`.
  public var examples: [String: Int] = [:]
  /// Sequences whose prompt was cut from the left, and tokens cut.
  public var promptsCut = 0
  public var promptTokensCut = 0
  /// Sequences whose input response (seq2seq) was cut from the right, and tokens cut.
  public var inputsCut = 0
  public var inputTokensCut = 0
  /// Sequences whose target/response was cut from the right (EOS counts as a token), and tokens cut.
  public var targetsCut = 0
  public var targetTokensCut = 0
  /// Examples kept although their target lost its EOS (`keepTruncatedTargets`).
  public var keptWithoutEOS = 0
  /// Occurrences of special-token strings inside corpus text (encoded as ordinary text, K12).
  public var specialTextOccurrences = 0

  /// Creates empty counters.
  public init() {}

  /// Adds `other`'s counters to these.
  public mutating func merge(_ other: TargetStats) {
    recordsIn += other.recordsIn
    recordsConverted += other.recordsConverted
    for (k, v) in other.dropped { dropped[k, default: 0] += v }
    for (k, v) in other.recordsBySplit { recordsBySplit[k, default: 0] += v }
    for (k, v) in other.examples { examples[k, default: 0] += v }
    promptsCut += other.promptsCut
    promptTokensCut += other.promptTokensCut
    inputsCut += other.inputsCut
    inputTokensCut += other.inputTokensCut
    targetsCut += other.targetsCut
    targetTokensCut += other.targetTokensCut
    keptWithoutEOS += other.keptWithoutEOS
    specialTextOccurrences += other.specialTextOccurrences
  }

  /// Total records dropped.
  public var droppedTotal: Int { dropped.values.reduce(0, +) }

  /// The counters as JSON with a fixed key order (deterministic manifests).
  public var jsonValue: JSONValue {
    let roles = examples.keys.sorted()
    return .object([
      (key: "records_in", value: .int(recordsIn)),
      (key: "records_converted", value: .int(recordsConverted)),
      (
        key: "dropped",
        value: .object(
          TargetDropReason.allCases.map { (key: $0.rawValue, value: .int(dropped[$0] ?? 0)) })
      ),
      (key: "records_train", value: .int(recordsBySplit[.train] ?? 0)),
      (key: "records_val", value: .int(recordsBySplit[.val] ?? 0)),
      (key: "examples", value: .object(roles.map { (key: $0, value: .int(examples[$0]!)) })),
      (
        key: "truncation",
        value: .object([
          (key: "prompts_cut", value: .int(promptsCut)),
          (key: "prompt_tokens_cut", value: .int(promptTokensCut)),
          (key: "inputs_cut", value: .int(inputsCut)),
          (key: "input_tokens_cut", value: .int(inputTokensCut)),
          (key: "targets_cut", value: .int(targetsCut)),
          (key: "target_tokens_cut", value: .int(targetTokensCut)),
          (key: "kept_without_eos", value: .int(keptWithoutEOS)),
        ])
      ),
      (key: "special_text_occurrences", value: .int(specialTextOccurrences)),
    ])
  }
}
