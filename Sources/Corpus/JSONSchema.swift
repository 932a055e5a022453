// A JSON Schema (draft 2020-12) validator for the subset our schemas use (issue 3): type, enum,
// const, numeric and string bounds, pattern, arrays (items, prefixItems, contains, bounds,
// uniqueItems), objects (properties, patternProperties, additionalProperties, required,
// propertyNames, dependent*), allOf/anyOf/oneOf/not, if/then/else, $defs with local `$ref`
// (JSON pointers and `$anchor`s in the same document). Unsupported keywords ($dynamicRef,
// unevaluated*, remote refs, nested `$id` resources) make the schema unusable, never ignored.

/// A compiled schema: the document, its anchors and its compiled patterns.
///
///     let schema = try JSONSchema(try JSONParser.parse(#"{"type":"string","minLength":2}"#))
///     schema.validate(.string("a"))   // [minLength at "" …]
///
/// Immutable after `init`, so it may be shared across threads.
public final class JSONSchema: @unchecked Sendable {
  /// The schema document.
  public let root: JSONValue
  /// Where the schema came from (for error messages).
  public let path: String
  /// `$anchor` name → the JSON pointer tokens of the subschema that declares it.
  let anchors: [String: [String]]
  /// Every `pattern` and `patternProperties` key, compiled once.
  let patterns: [String: Regex<AnyRegexOutput>]
  /// Keywords that change validation and that we do not implement: a schema using one is refused.
  static let unsupportedKeywords: Set<String> = [
    "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "unevaluatedItems",
    "unevaluatedProperties", "$vocabulary",
  ]
  /// Keywords whose value is one subschema.
  static let schemaKeywords: Set<String> = [
    "additionalProperties", "items", "contains", "not", "if", "then", "else", "propertyNames",
  ]
  /// Keywords whose value is an array of subschemas.
  static let schemaArrayKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]
  /// Keywords whose value is an object of subschemas.
  static let schemaMapKeywords: Set<String> = [
    "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
  ]

  /// Compiles `root`.
  /// - Throws: `CorpusError.invalidSchema` naming the JSON pointer of the first problem.
  public init(_ root: JSONValue, path: String = "<schema>") throws {
    self.root = root
    self.path = path
    var scan = SchemaScan(path: path, rootID: root["$id"]?.stringValue)
    try scan.visit(root, at: [], isRoot: true)
    self.anchors = scan.anchors
    self.patterns = scan.patterns
    for (pointer, reference) in scan.references {
      guard resolve(reference) != nil else {
        throw CorpusError.invalidSchema(
          path: path, pointer: JSONPointer.format(pointer),
          detail:
            "cannot resolve $ref '\(reference)' (only references inside this document are supported)"
        )
      }
    }
  }

  /// Reads and compiles a schema file.
  /// - Throws: `CorpusError` (I/O, JSON syntax, `invalidSchema`).
  public convenience init(contentsOf path: String) throws {
    let bytes = try FileBytes.read(path)
    try self.init(try JSONParser.parse(bytes, path: path), path: path)
  }

  /// Every violation of `instance`, in document order; empty when it is valid.
  public func validate(_ instance: JSONValue) -> [SchemaViolation] {
    var validation = Validation(schema: self)
    var sink = ViolationSink(collects: true)
    validation.check(instance, against: root, at: [], schemaAt: [], into: &sink)
    return sink.items
  }

  /// True when `instance` is valid.
  public func isValid(_ instance: JSONValue) -> Bool {
    var validation = Validation(schema: self)
    var sink = ViolationSink.discard
    return validation.check(instance, against: root, at: [], schemaAt: [], into: &sink)
  }

  /// The subschema a `$ref` names, with its JSON pointer tokens; nil when it is not in this document.
  func resolve(_ reference: String) -> (JSONValue, [String])? {
    var fragment = reference
    if let hash = reference.firstIndex(of: "#") {
      let base = String(reference[..<hash])
      guard base.isEmpty || base == root["$id"]?.stringValue else { return nil }
      fragment = String(reference[reference.index(after: hash)...])
    } else {
      guard reference == root["$id"]?.stringValue else { return nil }
      fragment = ""
    }
    if fragment.isEmpty || fragment.hasPrefix("/") {
      guard let tokens = JSONPointer.parse(fragment: fragment) else { return nil }
      return JSONPointer.resolve(tokens, in: root).map { ($0, tokens) }
    }
    guard let tokens = anchors[fragment] else { return nil }
    return JSONPointer.resolve(tokens, in: root).map { ($0, tokens) }
  }
}

/// One way an instance fails its schema.
public struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
  /// JSON pointer to the failing value in the instance (`""` is the whole document).
  public var instancePointer: String
  /// The keyword that failed (`required`, `type`, …).
  public var keyword: String
  /// JSON pointer to that keyword in the schema.
  public var schemaPointer: String
  /// What is wrong, lowercase.
  public var message: String

  public init(instancePointer: String, keyword: String, schemaPointer: String, message: String) {
    self.instancePointer = instancePointer
    self.keyword = keyword
    self.schemaPointer = schemaPointer
    self.message = message
  }

  /// `at '/meta/score': minimum: 3 is less than 5 (schema '/properties/…')`.
  public var description: String {
    "at '\(instancePointer)': \(keyword): \(message) (schema '\(schemaPointer)')"
  }
}
