// GenericAdapter.swift — `--format generic --map prompt=PATH,chosen=PATH,rejected=PATH`: any JSON
// record whose three texts sit at dotted paths (`a.b.0.c`; numeric parts index arrays). `prompt` may
// be omitted from the map (then it is empty). Never chosen by `--format auto`.

/// Reads records through a user-given field map.
public struct GenericAdapter: RecordAdapter {
  /// Dotted paths of the prompt (optional), chosen and rejected texts.
  public let promptPath: String?
  public let chosenPath: String
  public let rejectedPath: String

  /// Parses `map=prompt=PATH,chosen=PATH,rejected=PATH`.
  /// - Throws: `FormatOptionError` when the map is absent or malformed.
  public init(options: FormatOptions) throws {
    guard let map = options["map"] else {
      throw FormatOptionError("format 'generic' needs --map prompt=PATH,chosen=PATH,rejected=PATH")
    }
    var paths: [String: String] = [:]
    for entry in map.split(separator: ",") {
      let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, ["prompt", "chosen", "rejected"].contains(parts[0]), !parts[1].isEmpty
      else {
        throw FormatOptionError(
          "invalid --map entry '\(entry)': expected prompt=PATH, chosen=PATH or rejected=PATH")
      }
      paths[parts[0]] = parts[1]
    }
    guard let chosen = paths["chosen"], let rejected = paths["rejected"] else {
      throw FormatOptionError("--map needs chosen=PATH and rejected=PATH")
    }
    promptPath = paths["prompt"]
    chosenPath = chosen
    rejectedPath = rejected
  }

  public func matches(_ value: JSONValue) -> Bool {
    value.value(atDottedPath: chosenPath) != nil && value.value(atDottedPath: rejectedPath) != nil
  }

  public func convert(_ value: JSONValue) throws(RecordRejection) -> AdapterResult {
    func text(_ path: String) throws(RecordRejection) -> String {
      guard let field = value.value(atDottedPath: path), !field.isNull else { throw .missing(path) }
      guard let string = field.stringValue else { throw .wrongType(path, expected: "a string") }
      return string
    }
    let prompt =
      try promptPath.map { (p: String) throws(RecordRejection) -> String in try text(p) } ?? ""
    return .pair(
      prompt: prompt, chosen: try text(chosenPath), rejected: try text(rejectedPath),
      meta: .object([]))
  }
}
