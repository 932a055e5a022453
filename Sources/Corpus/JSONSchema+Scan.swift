// The compile step of JSONSchema: one walk over the schema document that checks what we support,
// records `$anchor`s and `$ref`s (resolved after the walk) and compiles every regular expression.
// Only schema positions are walked, so a `$ref` key inside `const`/`enum` data is data.

/// Walks a schema document once (see `JSONSchema.init`).
struct SchemaScan {
  let path: String
  let rootID: String?
  var anchors: [String: [String]] = [:]
  var references: [([String], String)] = []
  var patterns: [String: Regex<AnyRegexOutput>] = [:]

  init(path: String, rootID: String?) {
    self.path = path
    self.rootID = rootID
  }

  func failure(_ pointer: [String], _ detail: String) -> CorpusError {
    .invalidSchema(path: path, pointer: JSONPointer.format(pointer), detail: detail)
  }

  mutating func visit(_ schema: JSONValue, at pointer: [String], isRoot: Bool = false) throws {
    if case .bool = schema { return }
    guard case .object(let members) = schema else {
      throw failure(pointer, "a schema must be an object or a boolean")
    }
    for (key, value) in members {
      let here = pointer + [key]
      if JSONSchema.unsupportedKeywords.contains(key) {
        throw failure(here, "keyword '\(key)' is not supported by this validator")
      }
      switch key {
      case "$id" where !isRoot:
        throw failure(here, "embedded schema resources ($id below the root) are not supported")
      case "$anchor":
        guard let name = value.stringValue else { throw failure(here, "$anchor must be a string") }
        anchors[name] = pointer
      case "$ref":
        guard let reference = value.stringValue else {
          throw failure(here, "$ref must be a string")
        }
        references.append((here, reference))
      case "pattern":
        guard let source = value.stringValue else {
          throw failure(here, "pattern must be a string")
        }
        try compile(source, at: here)
      case "items" where value.arrayValue != nil:
        throw failure(here, "array-form 'items' is draft 2019-09; use 'prefixItems' in 2020-12")
      case _ where JSONSchema.schemaKeywords.contains(key):
        try visit(value, at: here)
      case _ where JSONSchema.schemaArrayKeywords.contains(key):
        guard let items = value.arrayValue else { throw failure(here, "\(key) must be an array") }
        for (index, item) in items.enumerated() { try visit(item, at: here + [String(index)]) }
      case _ where JSONSchema.schemaMapKeywords.contains(key):
        guard let map = value.objectValue else { throw failure(here, "\(key) must be an object") }
        for (name, item) in map {
          if key == "patternProperties" { try compile(name, at: here + [name]) }
          try visit(item, at: here + [name])
        }
      default:
        try checkShape(key, value, at: here)
      }
    }
  }

  /// Value checks for the assertion keywords, so a typo in a schema is an error, not a pass.
  func checkShape(_ key: String, _ value: JSONValue, at pointer: [String]) throws {
    switch key {
    case "type":
      let names = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map { [$0] }
      let known: Set<String> = [
        "null", "boolean", "object", "array", "number", "integer", "string",
      ]
      guard let names, !names.isEmpty, names.allSatisfy(known.contains),
        value.arrayValue.map({ $0.count == names.count }) ?? true
      else { throw failure(pointer, "type must name JSON types") }
    case "enum":
      guard value.arrayValue != nil else { throw failure(pointer, "enum must be an array") }
    case "required":
      guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
        throw failure(pointer, "required must be an array of strings")
      }
    case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
      guard value.doubleValue != nil else { throw failure(pointer, "\(key) must be a number") }
    case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties",
      "minContains", "maxContains":
      guard let number = value.doubleValue, number >= 0, number == number.rounded() else {
        throw failure(pointer, "\(key) must be a non-negative integer")
      }
    default:
      break
    }
  }

  mutating func compile(_ source: String, at pointer: [String]) throws {
    guard patterns[source] == nil else { return }
    do {
      // ECMA-262 patterns match code points, not grapheme clusters.
      patterns[source] = try Regex(source).matchingSemantics(.unicodeScalar)
    } catch {
      throw failure(pointer, "pattern '\(source)' is not a regular expression we support")
    }
  }
}

/// RFC 6901 JSON pointers, as token arrays.
enum JSONPointer {
  /// `["a", "b/c", "0"]` → `"/a/b~1c/0"`.
  static func format(_ tokens: [String]) -> String {
    tokens.map { "/" + $0.replacing("~", with: "~0").replacing("/", with: "~1") }.joined()
  }

  /// Tokens of a URI fragment (`/$defs/a%25b` → `["$defs", "a%b"]`); nil when malformed.
  static func parse(fragment: String) -> [String]? {
    guard let decoded = percentDecode(fragment) else { return nil }
    if decoded.isEmpty { return [] }
    guard decoded.hasPrefix("/") else { return nil }
    return decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
      String($0).replacing("~1", with: "/").replacing("~0", with: "~")
    }
  }

  /// The value at `tokens` inside `document`, or nil.
  static func resolve(_ tokens: [String], in document: JSONValue) -> JSONValue? {
    var current = document
    for token in tokens {
      switch current {
      case .object(let members):
        guard let next = members.first(where: { $0.key == token })?.value else { return nil }
        current = next
      case .array(let items):
        guard let index = Int(token), items.indices.contains(index) else { return nil }
        current = items[index]
      default:
        return nil
      }
    }
    return current
  }

  static func percentDecode(_ text: String) -> String? {
    guard text.contains("%") else { return text }
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8).makeIterator()
    while let byte = iterator.next() {
      if byte == UInt8(ascii: "%") {
        guard let high = iterator.next(), let low = iterator.next(),
          let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
        else { return nil }
        bytes.append(value)
      } else {
        bytes.append(byte)
      }
    }
    return String(validating: bytes, as: UTF8.self)
  }
}
