// `plan.json` of a scale-out run (INTEROP.md §5.3, Schemas/plan.schema.json): the inputs (sorted,
// sized), the W ranks with the byte ranges ("pieces") each converts, the sha256 of every piece, the
// pinned conversion settings and tokenizer sha256, and the tool version. `rmprep shard` and
// `rmprep merge` read it; the sha256 of its bytes identifies the run in every part's manifest.
// Deterministic: fixed key order, no timestamps, so planning twice gives the same bytes.

import Corpus

/// A deterministic split of a conversion into `worldSize` ranks.
public struct ScalePlan: Sendable, Equatable {
  /// The schema identifier written in every plan.
  public static let schema = "seq2seqrm.plan/1"

  /// One input file.
  public struct Input: Sendable, Equatable {
    /// The path as given to `plan` (what a single `convert` would report).
    public var path: String
    /// The absolute path the ranks open.
    public var resolved: String
    public var bytes: Int
    /// `plain`, `gzip` or `zstd`.
    public var container: String
    /// True when the input is cut at record boundaries (plain JSONL); else it goes whole to one rank.
    public var splittable: Bool
    /// The format found in the input's first record, used by pieces that start after byte 0 when
    /// the run's format is `auto` (nil when not splittable or the format is fixed).
    public var pinnedFormat: String?

    /// Creates an input entry.
    public init(
      path: String, resolved: String, bytes: Int, container: String, splittable: Bool,
      pinnedFormat: String?
    ) {
      self.path = path
      self.resolved = resolved
      self.bytes = bytes
      self.container = container
      self.splittable = splittable
      self.pinnedFormat = pinnedFormat
    }
  }

  /// A byte range `[start, end)` of one input, converted by one rank.
  public struct Piece: Sendable, Equatable {
    /// Index into `inputs`.
    public var input: Int
    public var start: Int
    public var end: Int
    /// sha256 (hex) of the raw bytes of the range.
    public var sha256: String
    /// 1-based line number of the range's first byte (for messages).
    public var firstLine: Int

    /// Creates a piece.
    public init(input: Int, start: Int, end: Int, sha256: String, firstLine: Int) {
      self.input = input
      self.start = start
      self.end = end
      self.sha256 = sha256
      self.firstLine = firstLine
    }
  }

  public var worldSize: Int
  public var inputs: [Input]
  /// `ranks[r]`: the pieces of rank `r`, in input order (possibly none).
  public var ranks: [[Piece]]
  public var config: TargetConfig
  /// The `--format` of the run (`auto` or a registry name).
  public var format: String
  /// Format options (`prefer`, `map`), by name.
  public var formatOptions: [String: String]
  public var maxRejectRate: Double
  /// The tokenizer file as given, its absolute path and the sha256 of its bytes.
  public var tokenizerPath: String
  public var tokenizerResolved: String
  public var tokenizerSHA256: String
  public var toolVersion: String

  /// Creates a plan.
  public init(
    worldSize: Int, inputs: [Input], ranks: [[Piece]], config: TargetConfig, format: String,
    formatOptions: [String: String], maxRejectRate: Double, tokenizerPath: String,
    tokenizerResolved: String, tokenizerSHA256: String, toolVersion: String
  ) {
    self.worldSize = worldSize
    self.inputs = inputs
    self.ranks = ranks
    self.config = config
    self.format = format
    self.formatOptions = formatOptions
    self.maxRejectRate = maxRejectRate
    self.tokenizerPath = tokenizerPath
    self.tokenizerResolved = tokenizerResolved
    self.tokenizerSHA256 = tokenizerSHA256
    self.toolVersion = toolVersion
  }

  /// `part-RRRRR-of-WWWWW`: the name of rank `rank`'s part directory (and, with `.manifest.json`,
  /// of its completion marker). Zero-padded so that name order is rank order.
  public func partName(rank: Int) -> String {
    func padded(_ n: Int) -> String {
      let digits = String(n)
      return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
    return "part-\(padded(rank))-of-\(padded(worldSize))"
  }

  /// The plan as JSON.
  public var jsonValue: JSONValue {
    let inputValues = inputs.map { input -> JSONValue in
      .object([
        (key: "path", value: .string(input.path)),
        (key: "resolved", value: .string(input.resolved)),
        (key: "bytes", value: .int(input.bytes)),
        (key: "container", value: .string(input.container)),
        (key: "splittable", value: .bool(input.splittable)),
        (key: "pinned_format", value: input.pinnedFormat.map { .string($0) } ?? .null),
      ])
    }
    let rankValues = ranks.enumerated().map { rank, pieces -> JSONValue in
      .object([
        (key: "rank", value: .int(rank)),
        (
          key: "pieces",
          value: .array(
            pieces.map { piece in
              .object([
                (key: "input", value: .int(piece.input)), (key: "start", value: .int(piece.start)),
                (key: "end", value: .int(piece.end)), (key: "sha256", value: .string(piece.sha256)),
                (key: "first_line", value: .int(piece.firstLine)),
              ])
            })
        ),
      ])
    }
    return .object([
      (key: "schema", value: .string(Self.schema)),
      (
        key: "tool",
        value: .object([
          (key: "name", value: .string("rmprep")), (key: "version", value: .string(toolVersion)),
        ])
      ),
      (key: "world_size", value: .int(worldSize)),
      (key: "format", value: .string(format)),
      (
        key: "format_options",
        value: .object(
          formatOptions.keys.sorted().map { (key: $0, value: .string(formatOptions[$0]!)) })
      ),
      (key: "max_reject_rate", value: .double(maxRejectRate)),
      (key: "config", value: config.jsonValue),
      (
        key: "tokenizer",
        value: .object([
          (key: "path", value: .string(tokenizerPath)),
          (key: "resolved", value: .string(tokenizerResolved)),
          (key: "sha256", value: .string(tokenizerSHA256)),
        ])
      ),
      (key: "inputs", value: .array(inputValues)),
      (key: "ranks", value: .array(rankValues)),
    ])
  }

  /// The bytes written to `plan.json`.
  public func encoded() -> [UInt8] {
    Array((JSONWriter.prettyString(jsonValue) + "\n").utf8)
  }

  /// Parses and checks a plan (ranges cover every input exactly once, in order).
  /// - Throws: `ShardError.invariantViolated` naming `path` and the field.
  public static func decode(_ bytes: [UInt8], path: String) throws -> ScalePlan {
    let json: JSONValue
    do { json = try JSONParser.parse(bytes, path: path) } catch {
      throw ShardError.invariantViolated(path: path, detail: "not valid JSON: \(error)")
    }
    func bad(_ field: String) -> ShardError {
      .invariantViolated(
        path: path, detail: "field '\(field)' is missing or invalid (re-create it with rmprep plan)"
      )
    }
    guard json["schema"]?.stringValue == schema else { throw bad("schema (expected \(schema))") }
    guard let version = json["tool"]?["version"]?.stringValue else { throw bad("tool.version") }
    guard let worldSize = json["world_size"]?.intValue, worldSize >= 1 else {
      throw bad("world_size")
    }
    guard let format = json["format"]?.stringValue else { throw bad("format") }
    var formatOptions: [String: String] = [:]
    for (key, value) in json["format_options"]?.objectValue ?? [] {
      guard let text = value.stringValue else { throw bad("format_options.\(key)") }
      formatOptions[key] = text
    }
    guard let rate = json["max_reject_rate"]?.doubleValue else { throw bad("max_reject_rate") }
    guard let configJSON = json["config"] else { throw bad("config") }
    let config = try TargetConfig(json: configJSON, path: path)
    guard let tokenizer = json["tokenizer"], let tokPath = tokenizer["path"]?.stringValue,
      let tokResolved = tokenizer["resolved"]?.stringValue,
      let tokSHA = tokenizer["sha256"]?.stringValue, tokSHA.count == 64
    else { throw bad("tokenizer") }
    var inputs: [Input] = []
    for (i, entry) in (json["inputs"]?.arrayValue ?? []).enumerated() {
      guard let p = entry["path"]?.stringValue, let r = entry["resolved"]?.stringValue,
        let size = entry["bytes"]?.intValue, size >= 0,
        let container = entry["container"]?.stringValue,
        let splittable = entry["splittable"]?.boolValue
      else { throw bad("inputs[\(i)]") }
      inputs.append(
        Input(
          path: p, resolved: r, bytes: size, container: container, splittable: splittable,
          pinnedFormat: entry["pinned_format"]?.stringValue))
    }
    guard let rankValues = json["ranks"]?.arrayValue, rankValues.count == worldSize else {
      throw bad("ranks (one entry per rank)")
    }
    var ranks: [[Piece]] = []
    var covered = 0  // bytes of the inputs covered so far, in order
    var cursor = (input: 0, offset: 0)
    for (r, value) in rankValues.enumerated() {
      guard value["rank"]?.intValue == r, let pieceValues = value["pieces"]?.arrayValue else {
        throw bad("ranks[\(r)]")
      }
      var pieces: [Piece] = []
      for entry in pieceValues {
        guard let input = entry["input"]?.intValue, inputs.indices.contains(input),
          let start = entry["start"]?.intValue, let end = entry["end"]?.intValue,
          let sha = entry["sha256"]?.stringValue, sha.count == 64,
          let line = entry["first_line"]?.intValue, line >= 1,
          start >= 0, end >= start, end <= inputs[input].bytes
        else { throw bad("ranks[\(r)].pieces") }
        // Pieces continue exactly where the previous one stopped (next input at offset 0).
        if cursor.input < input && cursor.offset == inputs[cursor.input].bytes {
          cursor = (cursor.input + 1, 0)
        }
        while cursor.input < input && inputs[cursor.input].bytes == 0 {
          cursor = (cursor.input + 1, 0)
        }
        guard input == cursor.input, start == cursor.offset else {
          throw bad("ranks[\(r)].pieces (ranges must follow each other without gaps)")
        }
        cursor.offset = end
        covered += end - start
        pieces.append(Piece(input: input, start: start, end: end, sha256: sha, firstLine: line))
      }
      ranks.append(pieces)
    }
    guard covered == inputs.reduce(0, { $0 + $1.bytes }) else {
      throw bad("ranks (the pieces do not cover every input byte)")
    }
    return ScalePlan(
      worldSize: worldSize, inputs: inputs, ranks: ranks, config: config, format: format,
      formatOptions: formatOptions, maxRejectRate: rate, tokenizerPath: tokPath,
      tokenizerResolved: tokResolved, tokenizerSHA256: tokSHA, toolVersion: version)
  }
}
