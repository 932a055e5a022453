// JSON Schema's notion of equality and type for `JSONValue` (used by enum, const, uniqueItems,
// type): numbers compare by value (1 == 1.0), objects ignore member order, strings compare by
// code points (not Swift's canonical equivalence), and booleans are never numbers.

/// Equality and type tests with JSON Schema semantics.
enum JSONEquality {
  /// `1` equals `1.0`; `{"a":1,"b":2}` equals `{"b":2,"a":1}`; `false` differs from `0`.
  static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)):
      return a == b || (Double(a) != nil && Double(a) == Double(b))
    case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
    case (.array(let a), .array(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
    case (.object(let a), .object(let b)):
      guard a.count == b.count else { return false }
      return a.allSatisfy { member in
        b.contains { $0.key.utf8.elementsEqual(member.key.utf8) && equal($0.value, member.value) }
      }
    default: return false
    }
  }

  /// Does `value` have JSON Schema type `name`? An integer is a number with no fractional part
  /// (`1.0` is an integer in 2020-12).
  static func hasType(_ value: JSONValue, _ name: String) -> Bool {
    switch (value, name) {
    case (.null, "null"), (.bool, "boolean"), (.object, "object"), (.array, "array"),
      (.string, "string"), (.number, "number"):
      return true
    case (.number(let text), "integer"):
      guard let number = Double(text), number.isFinite else { return false }
      return number == number.rounded(.towardZero)
    default: return false
    }
  }

  /// The name of `value`'s type, for messages.
  static func typeName(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "boolean"
    case .object: return "object"
    case .array: return "array"
    case .string: return "string"
    case .number(let text):
      return hasType(value, "integer") && !text.contains(".") ? "integer" : "number"
    }
  }

  /// `multipleOf` in floating point: the quotient must be (within rounding) an integer; an
  /// overflowing quotient is not a multiple.
  static func isMultiple(_ value: Double, of divisor: Double) -> Bool {
    guard divisor > 0 else { return false }
    let quotient = value / divisor
    guard quotient.isFinite else { return false }
    let nearest = quotient.rounded()
    return abs(quotient - nearest) <= 1e-9 * max(1, abs(quotient))
  }
}
