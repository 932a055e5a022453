// RecordFields.swift — typed field access for adapters: each getter throws a `RecordRejection`
// naming the field (missing-field / wrong-type / invalid-value), so adapters stay straight lines.
// Meta rule shared by every adapter: fields the adapter did not turn into text are kept in `meta`.

extension JSONValue {
  /// The string at `key`.
  /// - Throws: `RecordRejection` (missing-field when absent or null, wrong-type otherwise).
  func requiredString(_ key: String) throws(RecordRejection) -> String {
    guard let field = self[key], !field.isNull else { throw .missing(key) }
    guard let text = field.stringValue else { throw .wrongType(key, expected: "a string") }
    return text
  }

  /// The integer at `key`.
  func requiredInt(_ key: String) throws(RecordRejection) -> Int {
    guard let field = self[key], !field.isNull else { throw .missing(key) }
    guard let number = field.intValue else { throw .wrongType(key, expected: "an integer") }
    return number
  }

  /// The integer at `key`, which must be 0 or 1 (an index into a pair).
  func requiredIndex(_ key: String) throws(RecordRejection) -> Int {
    let index = try requiredInt(key)
    guard index == 0 || index == 1 else {
      throw RecordRejection(.invalidValue, "field '\(key)' is \(index), expected 0 or 1")
    }
    return index
  }

  /// The array at `key`.
  func requiredArray(_ key: String) throws(RecordRejection) -> [JSONValue] {
    guard let field = self[key], !field.isNull else { throw .missing(key) }
    guard let items = field.arrayValue else { throw .wrongType(key, expected: "an array") }
    return items
  }

  /// The object at `key`.
  func requiredObject(_ key: String) throws(RecordRejection) -> JSONValue {
    guard let field = self[key], !field.isNull else { throw .missing(key) }
    guard case .object = field else { throw .wrongType(key, expected: "an object") }
    return field
  }

  /// True when the object has every key in `keys`.
  func hasKeys(_ keys: String...) -> Bool { keys.allSatisfy { self[$0] != nil } }

  /// This object without the members named in `keys` (the adapter's `meta`).
  func removingKeys(_ keys: Set<String>) -> JSONValue {
    guard let members = objectValue else { return .object([]) }
    return .object(members.filter { !keys.contains($0.key) })
  }
}
