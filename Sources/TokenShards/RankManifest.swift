// `part-RRRRR-of-WWWWW.manifest.json`: the completion marker of one rank (INTEROP.md §5.3), written
// last, after the rank's part directory and id list. It names the plan (sha256 of plan.json), the
// rank's input ranges, its token count, its accounting in mergeable form (counters, full length histograms, ingest counts)
// and the size and sha256 of every output, so `merge` can refuse missing, foreign or corrupt parts
// and re-create the single-run manifest exactly.

import Corpus

/// The manifest of one finished rank.
public struct RankManifest: Sendable, Equatable {
  /// The schema identifier written in every part manifest.
  public static let schema = "seq2seqrm.part/1"

  /// One byte range of one input that the rank converted (a plan piece, by input path).
  public struct InputRange: Sendable, Equatable {
    /// The input as given to `rmprep plan`.
    public var path: String
    /// First byte of the range.
    public var start: Int
    /// One past the last byte of the range.
    public var end: Int
    /// sha256 (hex) of the raw bytes `[start, end)`.
    public var sha256: String

    /// Creates a range.
    public init(path: String, start: Int, end: Int, sha256: String) {
      self.path = path
      self.start = start
      self.end = end
      self.sha256 = sha256
    }
  }

  public var planSHA256: String
  public var rank: Int
  public var worldSize: Int
  /// The rank's input ranges, in plan order (none for an empty rank).
  public var inputRange: [InputRange]
  /// Tokens written over all splits (the token files, not the masks).
  public var tokens: Int
  public var dtypeCode: Int
  public var outcome: RankOutcome
  /// Outputs, paths relative to the parts directory, sorted by name.
  public var outputs: [ShardFile]
  public var toolVersion: String

  /// Creates a manifest.
  public init(
    planSHA256: String, rank: Int, worldSize: Int, inputRange: [InputRange], tokens: Int,
    dtypeCode: Int, outcome: RankOutcome, outputs: [ShardFile], toolVersion: String
  ) {
    self.planSHA256 = planSHA256
    self.rank = rank
    self.worldSize = worldSize
    self.inputRange = inputRange
    self.tokens = tokens
    self.dtypeCode = dtypeCode
    self.outcome = outcome
    self.outputs = outputs.sorted { $0.name < $1.name }
    self.toolVersion = toolVersion
  }

  /// The manifest as JSON.
  public var jsonValue: JSONValue {
    func histogram(_ h: LengthHistogram) -> JSONValue {
      .array(h.sortedCounts.map { .array([.int($0.length), .int($0.count)]) })
    }
    func counts<R: RawRepresentable & Comparable>(_ map: [R: Int]) -> JSONValue
    where R.RawValue == String {
      .object(map.keys.sorted().map { (key: $0.rawValue, value: .int(map[$0]!)) })
    }
    let up = outcome.upstream
    return .object([
      (key: "schema", value: .string(Self.schema)),
      (key: "plan_sha256", value: .string(planSHA256)),
      (key: "rank", value: .int(rank)),
      (key: "world_size", value: .int(worldSize)),
      (
        key: "input_range",
        value: .array(
          inputRange.map {
            .object([
              (key: "path", value: .string($0.path)), (key: "start", value: .int($0.start)),
              (key: "end", value: .int($0.end)), (key: "sha256", value: .string($0.sha256)),
            ])
          })
      ),
      (key: "records_in", value: .int(up.read)),
      (key: "pairs_out", value: .int(outcome.stats.recordsConverted)),
      (key: "tokens", value: .int(tokens)),
      (key: "dtype_code", value: .int(dtypeCode)),
      (key: "targets", value: outcome.stats.jsonValue),
      (
        key: "lengths",
        value: .object([
          (key: "prompt", value: histogram(outcome.lengths.prompt)),
          (key: "chosen", value: histogram(outcome.lengths.chosen)),
          (key: "rejected", value: histogram(outcome.lengths.rejected)),
        ])
      ),
      (
        key: "upstream",
        value: .object([
          (key: "read", value: .int(up.read)), (key: "written", value: .int(up.written)),
          (key: "dropped", value: counts(up.dropped)),
          (key: "rejected", value: counts(up.rejected)),
          (key: "files", value: .int(up.files)), (key: "raw_bytes", value: .int(up.rawBytes)),
          (key: "decoded_bytes", value: .int(up.decodedBytes)),
        ])
      ),
      (key: "ids", value: .int(outcome.seenIDs.count)),
      (
        key: "outputs",
        value: .array(
          outputs.map {
            .object([
              (key: "name", value: .string($0.name)), (key: "bytes", value: .int($0.bytes)),
              (key: "sha256", value: .string($0.sha256)),
            ])
          })
      ),
      (key: "rmprep_version", value: .string(toolVersion)),
    ])
  }

  /// The bytes written.
  public func encoded() -> [UInt8] {
    Array((JSONWriter.prettyString(jsonValue) + "\n").utf8)
  }

  /// Parses a part manifest (without the id list, which `seenIDs` leaves empty).
  /// - Throws: `ShardError.invariantViolated` naming `path` and the field.
  public static func decode(_ bytes: [UInt8], path: String) throws -> RankManifest {
    let json: JSONValue
    do { json = try JSONParser.parse(bytes, path: path) } catch {
      throw ShardError.invariantViolated(path: path, detail: "not valid JSON: \(error)")
    }
    func bad(_ field: String) -> ShardError {
      .invariantViolated(path: path, detail: "field '\(field)' is missing or invalid")
    }
    func int(_ value: JSONValue?, _ field: String) throws -> Int {
      guard let n = value?.intValue, n >= 0 else { throw bad(field) }
      return n
    }
    guard json["schema"]?.stringValue == schema else { throw bad("schema (expected \(schema))") }
    guard let plan = json["plan_sha256"]?.stringValue, plan.count == 64 else {
      throw bad("plan_sha256")
    }
    guard let version = json["rmprep_version"]?.stringValue else { throw bad("rmprep_version") }
    // Target counters: the fields of TargetStats.jsonValue.
    guard let t = json["targets"] else { throw bad("targets") }
    var stats = TargetStats()
    stats.recordsIn = try int(t["records_in"], "targets.records_in")
    stats.recordsConverted = try int(t["records_converted"], "targets.records_converted")
    for reason in TargetDropReason.allCases {
      let n = try int(t["dropped"]?[reason.rawValue], "targets.dropped.\(reason.rawValue)")
      if n > 0 { stats.dropped[reason] = n }
    }
    for (split, key) in [(Split.train, "records_train"), (.val, "records_val")] {
      let n = try int(t[key], "targets.\(key)")
      if n > 0 { stats.recordsBySplit[split] = n }
    }
    for (role, value) in t["examples"]?.objectValue ?? [] {
      stats.examples[role] = try int(value, "targets.examples.\(role)")
    }
    let cut = t["truncation"]
    stats.promptsCut = try int(cut?["prompts_cut"], "targets.truncation.prompts_cut")
    stats.promptTokensCut = try int(cut?["prompt_tokens_cut"], "targets.truncation")
    stats.inputsCut = try int(cut?["inputs_cut"], "targets.truncation")
    stats.inputTokensCut = try int(cut?["input_tokens_cut"], "targets.truncation")
    stats.targetsCut = try int(cut?["targets_cut"], "targets.truncation")
    stats.targetTokensCut = try int(cut?["target_tokens_cut"], "targets.truncation")
    stats.keptWithoutEOS = try int(cut?["kept_without_eos"], "targets.truncation")
    stats.specialTextOccurrences = try int(
      t["special_text_occurrences"], "targets.special_text_occurrences")
    // Length histograms.
    var lengths = LengthReport()
    func histogram(_ key: String) throws -> LengthHistogram {
      var h = LengthHistogram()
      for pair in json["lengths"]?[key]?.arrayValue ?? [] {
        h.add(try int(pair[0], "lengths.\(key)"), times: try int(pair[1], "lengths.\(key)"))
      }
      return h
    }
    lengths.prompt = try histogram("prompt")
    lengths.chosen = try histogram("chosen")
    lengths.rejected = try histogram("rejected")
    // Ingest counts.
    guard let u = json["upstream"] else { throw bad("upstream") }
    var upstream = Accounting()
    upstream.read = try int(u["read"], "upstream.read")
    upstream.written = try int(u["written"], "upstream.written")
    upstream.files = try int(u["files"], "upstream.files")
    upstream.rawBytes = try int(u["raw_bytes"], "upstream.raw_bytes")
    upstream.decodedBytes = try int(u["decoded_bytes"], "upstream.decoded_bytes")
    for (key, value) in u["dropped"]?.objectValue ?? [] {
      guard let reason = DropReason(rawValue: key) else { throw bad("upstream.dropped.\(key)") }
      upstream.dropped[reason] = try int(value, "upstream.dropped.\(key)")
    }
    for (key, value) in u["rejected"]?.objectValue ?? [] {
      guard let reason = RejectReason(rawValue: key) else { throw bad("upstream.rejected.\(key)") }
      upstream.rejected[reason] = try int(value, "upstream.rejected.\(key)")
    }
    var ranges: [InputRange] = []
    for entry in json["input_range"]?.arrayValue ?? [] {
      guard let path = entry["path"]?.stringValue, let digest = entry["sha256"]?.stringValue
      else { throw bad("input_range") }
      let start = try int(entry["start"], "input_range.start")
      let end = try int(entry["end"], "input_range.end")
      guard start <= end else { throw bad("input_range (start after end)") }
      ranges.append(InputRange(path: path, start: start, end: end, sha256: digest))
    }
    var outputs: [ShardFile] = []
    for entry in json["outputs"]?.arrayValue ?? [] {
      guard let name = entry["name"]?.stringValue, !name.hasPrefix("/"), !name.contains(".."),
        let size = entry["bytes"]?.intValue, let digest = entry["sha256"]?.stringValue
      else { throw bad("outputs") }
      outputs.append(ShardFile(name: name, bytes: size, sha256: digest))
    }
    return RankManifest(
      planSHA256: plan, rank: try int(json["rank"], "rank"),
      worldSize: try int(json["world_size"], "world_size"), inputRange: ranges,
      tokens: try int(json["tokens"], "tokens"),
      dtypeCode: try int(json["dtype_code"], "dtype_code"),
      outcome: RankOutcome(stats: stats, lengths: lengths, upstream: upstream, seenIDs: []),
      outputs: outputs, toolVersion: version)
  }
}
