// Where a problem was found, as typed fields so that tests compare errors with `==`.
// Lines and columns are 1-based (as editors and compilers count); record indices are 0-based.

/// A position in an input: `path:line:column (record n)` or `path @ byte offset` for binary data.
public struct InputLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
  /// The path as the user gave it; `<stdin>` for `-`.
  public var path: String
  /// 1-based line, when the input is text.
  public var line: Int?
  /// 1-based column (in bytes), when known.
  public var column: Int?
  /// 0-based index of the record in this input, when known.
  public var record: Int?
  /// 0-based byte offset into the (decompressed, unless stated) input, for binary data.
  public var byteOffset: Int?

  /// Creates a location; only `path` is required.
  public init(
    path: String, line: Int? = nil, column: Int? = nil, record: Int? = nil, byteOffset: Int? = nil
  ) {
    self.path = path
    self.line = line
    self.column = column
    self.record = record
    self.byteOffset = byteOffset
  }

  /// The display name for a path argument: `-` is shown as `<stdin>`.
  public static func displayName(forPath path: String) -> String {
    path == "-" ? "<stdin>" : path
  }

  /// `path:line:column (record n)`, omitting what is unknown; `path @ byte N` for byte offsets.
  public var description: String {
    var text = path
    if let line {
      text += ":\(line)"
      if let column { text += ":\(column)" }
    }
    if let byteOffset { text += " @ byte \(byteOffset)" }
    if let record { text += " (record \(record))" }
    return text
  }
}
