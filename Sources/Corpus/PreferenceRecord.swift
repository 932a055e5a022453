// The normalized record every adapter produces and every later stage consumes
// (Schemas/record.schema.json). Text fields are exact: adapters never trim or re-encode them.

/// One preference pair: a prompt, the preferred response and the rejected one.
public struct PreferenceRecord: Sendable, Equatable {
  /// `RecordID.make(prompt:chosen:rejected:)`: stable across files, runs and shard counts.
  public var id: String
  /// Where the record came from: `path:line` for JSON inputs, `path:row-id` for XML.
  public var source: String
  public var prompt: String
  public var chosen: String
  public var rejected: String
  /// Dataset-specific fields kept as they were (an object; `.object([])` when there are none).
  public var meta: JSONValue

  /// Creates a record and computes its id from the content.
  public init(
    source: String, prompt: String, chosen: String, rejected: String, meta: JSONValue = .object([])
  ) {
    self.id = RecordID.make(prompt: prompt, chosen: chosen, rejected: rejected)
    self.source = source
    self.prompt = prompt
    self.chosen = chosen
    self.rejected = rejected
    self.meta = meta
  }

  /// The record as a JSON object, keys in schema order: id, source, prompt, chosen, rejected, meta.
  public var jsonValue: JSONValue {
    .object([
      (key: "id", value: .string(id)),
      (key: "source", value: .string(source)),
      (key: "prompt", value: .string(prompt)),
      (key: "chosen", value: .string(chosen)),
      (key: "rejected", value: .string(rejected)),
      (key: "meta", value: meta),
    ])
  }
}
