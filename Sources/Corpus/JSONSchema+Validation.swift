// The keyword semantics of JSONSchema (draft 2020-12, validation and applicator vocabularies).
// Every keyword of a schema object is checked (no short-circuit) so all violations are reported;
// subschemas under anyOf/oneOf/not/if/contains are evaluated into a discarding sink, and the
// parent keyword reports one violation. Pointers are token arrays, formatted only on failure.

/// Collects violations, or only counts them (`discard`) when a caller needs a yes/no.
struct ViolationSink {
  var collects: Bool
  var items: [SchemaViolation] = []
  static var discard: ViolationSink { ViolationSink(collects: false) }
}

/// One validation run over one instance.
struct Validation {
  let schema: JSONSchema
  /// Nesting of `check` calls; a `$ref` cycle that consumes no instance stops at the limit.
  var depth = 0
  static let maximumDepth = 256

  init(schema: JSONSchema) { self.schema = schema }

  mutating func check(
    _ instance: JSONValue, against subschema: JSONValue, at path: [String],
    schemaAt spath: [String],
    into violations: inout [SchemaViolation]
  ) {
    var sink = ViolationSink(collects: true)
    _ = check(instance, against: subschema, at: path, schemaAt: spath, into: &sink)
    violations.append(contentsOf: sink.items)
  }

  /// Checks `instance` at `path` against `subschema` at `spath`; false when it fails.
  @discardableResult
  mutating func check(
    _ instance: JSONValue, against subschema: JSONValue, at path: [String],
    schemaAt spath: [String],
    into sink: inout ViolationSink
  ) -> Bool {
    if case .bool(let allowed) = subschema {
      if !allowed { report(&sink, path, spath, "false", "no value is allowed here") }
      return allowed
    }
    guard case .object(let keywords) = subschema else { return true }
    guard depth < Self.maximumDepth else {
      report(
        &sink, path, spath, "$ref", "schema nesting deeper than \(Self.maximumDepth) ($ref cycle)")
      return false
    }
    depth += 1
    defer { depth -= 1 }
    var valid = true
    for (keyword, value) in keywords {
      let here = spath + [keyword]
      if !checkKeyword(keyword, value, subschema, instance, path, here, &sink) { valid = false }
    }
    return valid
  }

  func report(
    _ sink: inout ViolationSink, _ path: [String], _ spath: [String], _ keyword: String,
    _ message: String
  ) {
    guard sink.collects else { return }
    let schemaPointer = JSONPointer.format(spath.last == keyword ? spath : spath + [keyword])
    sink.items.append(
      SchemaViolation(
        instancePointer: JSONPointer.format(path), keyword: keyword,
        schemaPointer: schemaPointer, message: message))
  }

  /// Does `instance` pass `subschema`? (no violations collected)
  mutating func passes(
    _ instance: JSONValue, _ subschema: JSONValue, _ path: [String], _ spath: [String]
  ) -> Bool {
    var sink = ViolationSink.discard
    return check(instance, against: subschema, at: path, schemaAt: spath, into: &sink)
  }

  /// After an anyOf/oneOf with no matching branch: the violations of the branch that came
  /// closest (fewest violations; the first on ties), so the message says what to fix.
  mutating func explainClosest(
    _ branches: [JSONValue], _ instance: JSONValue, _ path: [String], _ spath: [String],
    _ sink: inout ViolationSink
  ) {
    guard sink.collects else { return }
    // A branch whose `type` rejects the value itself is a worse guess than any other.
    let here = JSONPointer.format(path)
    var best: (violations: [SchemaViolation], cost: Int)?
    for (index, branch) in branches.enumerated() {
      var trial = ViolationSink(collects: true)
      check(instance, against: branch, at: path, schemaAt: spath + [String(index)], into: &trial)
      let typeMiss = trial.items.contains { $0.keyword == "type" && $0.instancePointer == here }
      let cost = trial.items.count + (typeMiss ? 1000 : 0)
      if best == nil || cost < best!.cost { best = (trial.items, cost) }
    }
    sink.items.append(contentsOf: best?.violations ?? [])
  }

  // MARK: - Keywords

  mutating func checkKeyword(
    _ keyword: String, _ value: JSONValue, _ parent: JSONValue, _ instance: JSONValue,
    _ path: [String], _ spath: [String], _ sink: inout ViolationSink
  ) -> Bool {
    switch keyword {
    case "$ref":
      guard let reference = value.stringValue, let (target, tokens) = schema.resolve(reference)
      else {
        report(&sink, path, spath, keyword, "unresolvable reference")
        return false
      }
      return check(instance, against: target, at: path, schemaAt: tokens, into: &sink)
    case "type": return checkType(value, instance, path, spath, &sink)
    case "enum":
      let options = value.arrayValue ?? []
      if options.contains(where: { JSONEquality.equal($0, instance) }) { return true }
      report(&sink, path, spath, keyword, "value is not one of \(JSONWriter.string(value))")
      return false
    case "const":
      if JSONEquality.equal(value, instance) { return true }
      report(&sink, path, spath, keyword, "value must be \(JSONWriter.string(value))")
      return false
    case "allOf", "anyOf", "oneOf", "not", "if":
      return checkCombinator(keyword, value, parent, instance, path, spath, &sink)
    case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
      return checkNumber(keyword, value, instance, path, spath, &sink)
    case "minLength", "maxLength", "pattern":
      return checkString(keyword, value, instance, path, spath, &sink)
    case "items", "prefixItems", "contains", "minItems", "maxItems", "uniqueItems":
      return checkArray(keyword, value, parent, instance, path, spath, &sink)
    case "properties", "patternProperties", "additionalProperties", "required", "minProperties",
      "maxProperties", "propertyNames", "dependentRequired", "dependentSchemas":
      return checkObject(keyword, value, parent, instance, path, spath, &sink)
    default:
      // Annotations ($schema, $id, $defs, title, description, default, examples, format,
      // content*, deprecated, readOnly, writeOnly, $comment) and keywords read by a sibling
      // (then, else, minContains, maxContains) assert nothing on their own.
      return true
    }
  }

  mutating func checkType(
    _ value: JSONValue, _ instance: JSONValue, _ path: [String], _ spath: [String],
    _ sink: inout ViolationSink
  ) -> Bool {
    let names = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map { [$0] } ?? []
    if names.contains(where: { JSONEquality.hasType(instance, $0) }) { return true }
    report(
      &sink, path, spath, "type",
      "expected \(names.joined(separator: " or ")), found \(JSONEquality.typeName(instance))")
    return false
  }

  mutating func checkCombinator(
    _ keyword: String, _ value: JSONValue, _ parent: JSONValue, _ instance: JSONValue,
    _ path: [String], _ spath: [String], _ sink: inout ViolationSink
  ) -> Bool {
    let branches = value.arrayValue ?? []
    switch keyword {
    case "allOf":
      var valid = true
      for (index, branch) in branches.enumerated()
      where !check(
        instance, against: branch, at: path, schemaAt: spath + [String(index)], into: &sink)
      {
        valid = false
      }
      return valid
    case "anyOf":
      for (index, branch) in branches.enumerated()
      where passes(instance, branch, path, spath + [String(index)]) { return true }
      report(
        &sink, path, spath, keyword, "value matches none of the \(branches.count) alternatives")
      explainClosest(branches, instance, path, spath, &sink)
      return false
    case "oneOf":
      var matched: [Int] = []
      for (index, branch) in branches.enumerated()
      where passes(instance, branch, path, spath + [String(index)]) { matched.append(index) }
      if matched.count == 1 { return true }
      report(
        &sink, path, spath, keyword,
        matched.isEmpty
          ? "value matches none of the \(branches.count) alternatives"
          : "value matches \(matched.count) alternatives (\(matched.map(String.init).joined(separator: ", "))), exactly one is required"
      )
      if matched.isEmpty { explainClosest(branches, instance, path, spath, &sink) }
      return false
    case "not":
      if !passes(instance, value, path, spath) { return true }
      report(&sink, path, spath, keyword, "value must not match the schema")
      return false
    default:  // "if"
      let parentPath = Array(spath.dropLast())
      if passes(instance, value, path, spath) {
        guard let then = parent["then"] else { return true }
        return check(
          instance, against: then, at: path, schemaAt: parentPath + ["then"], into: &sink)
      }
      guard let otherwise = parent["else"] else { return true }
      return check(
        instance, against: otherwise, at: path, schemaAt: parentPath + ["else"], into: &sink)
    }
  }
}
