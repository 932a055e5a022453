// A parsed JSON document. Objects keep their key order (so output is deterministic and mirrors the
// input) and numbers keep their exact source text (so nothing is rounded on the way through).

/// A JSON value. Use `JSONParser` to read one and `JSONWriter` to write one.
///
///     let v = try JSONParser.parse(Array(#"{"a":[1,2.50,"x"]}"#.utf8))
///     v["a"]?[1]?.numberText   // "2.50"
public enum JSONValue: Sendable, Equatable, Hashable {
  case null
  case bool(Bool)
  /// The number's source text, already validated against the RFC 8259 grammar.
  case number(String)
  case string(String)
  case array([JSONValue])
  /// Members in input order; keys are unique (the parser rejects duplicates).
  case object([(key: String, value: JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let b): hasher.combine(b)
    case .number(let n): hasher.combine(n)
    case .string(let s): hasher.combine(s)
    case .array(let a): hasher.combine(a)
    case .object(let members):
      for (key, value) in members {
        hasher.combine(key)
        hasher.combine(value)
      }
    }
  }

  /// Convenience: a number value from an integer.
  public static func int<I: BinaryInteger>(_ value: I) -> JSONValue { .number(String(value)) }

  /// Convenience: a number value from a finite Double (shortest round-trip text).
  /// Non-finite values become `null`, since JSON has no NaN or Infinity.
  public static func double(_ value: Double) -> JSONValue {
    guard value.isFinite else { return .null }
    if value == value.rounded(), abs(value) < 1e15 { return .number(String(Int64(value))) }
    return .number(String(value))
  }

  /// The member named `key` of an object (first match), or nil.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first(where: { $0.key == key })?.value
  }

  /// The element at `index` of an array, or nil.
  public subscript(index: Int) -> JSONValue? {
    guard case .array(let items) = self, items.indices.contains(index) else { return nil }
    return items[index]
  }

  /// The string payload, or nil.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The number's source text, or nil.
  public var numberText: String? {
    if case .number(let n) = self { return n }
    return nil
  }

  /// The number as a Double, or nil.
  public var doubleValue: Double? { numberText.flatMap(Double.init) }

  /// The number as an Int when it is an integer written without fraction or exponent, or nil.
  public var intValue: Int? { numberText.flatMap { Int($0) } }

  /// The Boolean payload, or nil.
  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  /// The array payload, or nil.
  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  /// The object members, or nil.
  public var objectValue: [(key: String, value: JSONValue)]? {
    if case .object(let m) = self { return m }
    return nil
  }

  /// True for `.null`.
  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// Follows a dotted path (`a.b.0.c`; numeric parts index arrays), or nil where it breaks.
  public func value(atDottedPath path: String) -> JSONValue? {
    var current: JSONValue? = self
    for part in path.split(separator: ".", omittingEmptySubsequences: false) {
      guard let node = current else { return nil }
      if case .array = node, let index = Int(part) {
        current = node[index]
      } else {
        current = node[String(part)]
      }
    }
    return current
  }
}
