// The keywords of JSONSchema that look inside one kind of instance: numbers, strings, arrays and
// objects. A keyword ignores instances of other types (2020-12: `minLength` says nothing about 5).
// Lengths count Unicode code points, as JSON Schema requires (not Swift Characters).

extension Validation {
  mutating func checkNumber(
    _ keyword: String, _ value: JSONValue, _ instance: JSONValue, _ path: [String],
    _ spath: [String], _ sink: inout ViolationSink
  ) -> Bool {
    guard let number = instance.doubleValue, let limit = value.doubleValue else { return true }
    let text = value.numberText ?? ""
    let failed: Bool
    let message: String
    switch keyword {
    case "minimum": (failed, message) = (number < limit, "must be ≥ \(text)")
    case "maximum": (failed, message) = (number > limit, "must be ≤ \(text)")
    case "exclusiveMinimum": (failed, message) = (number <= limit, "must be > \(text)")
    case "exclusiveMaximum": (failed, message) = (number >= limit, "must be < \(text)")
    default:  // multipleOf
      (failed, message) = (
        !JSONEquality.isMultiple(number, of: limit), "must be a multiple of \(text)"
      )
    }
    if failed { report(&sink, path, spath, keyword, "\(instance.numberText ?? "") \(message)") }
    return !failed
  }

  mutating func checkString(
    _ keyword: String, _ value: JSONValue, _ instance: JSONValue, _ path: [String],
    _ spath: [String], _ sink: inout ViolationSink
  ) -> Bool {
    guard case .string(let text) = instance else { return true }
    switch keyword {
    case "pattern":
      guard let source = value.stringValue, let regex = schema.patterns[source] else { return true }
      if (try? regex.firstMatch(in: text)) != nil { return true }
      report(&sink, path, spath, keyword, "string does not match /\(source)/")
      return false
    default:
      let length = text.unicodeScalars.count
      let limit = Int(value.doubleValue ?? 0)
      let failed = keyword == "minLength" ? length < limit : length > limit
      if failed {
        report(
          &sink, path, spath, keyword,
          "string has \(length) characters, \(keyword == "minLength" ? "at least" : "at most") \(limit) allowed"
        )
      }
      return !failed
    }
  }

  mutating func checkArray(
    _ keyword: String, _ value: JSONValue, _ parent: JSONValue, _ instance: JSONValue,
    _ path: [String], _ spath: [String], _ sink: inout ViolationSink
  ) -> Bool {
    guard case .array(let items) = instance else { return true }
    switch keyword {
    case "prefixItems":
      var valid = true
      for (index, (item, subschema)) in zip(items, value.arrayValue ?? []).enumerated()
      where !check(
        item, against: subschema, at: path + [String(index)], schemaAt: spath + [String(index)],
        into: &sink)
      {
        valid = false
      }
      return valid
    case "items":
      let start = parent["prefixItems"]?.arrayValue?.count ?? 0
      var valid = true
      for index in items.indices
      where index >= start
        && !check(
          items[index], against: value, at: path + [String(index)], schemaAt: spath, into: &sink)
      {
        valid = false
      }
      return valid
    case "contains":
      let matches = items.indices.filter { passes(items[$0], value, path + [String($0)], spath) }
        .count
      let minimum = parent["minContains"]?.doubleValue.map { Int($0) } ?? 1
      let maximum = parent["maxContains"]?.doubleValue.map { Int($0) }
      if matches < minimum {
        report(
          &sink, path, spath, minimum == 1 ? keyword : "minContains",
          "\(matches) items match 'contains', at least \(minimum) required")
        return false
      }
      if let maximum, matches > maximum {
        report(
          &sink, path, spath, "maxContains",
          "\(matches) items match 'contains', at most \(maximum) allowed")
        return false
      }
      return true
    case "minItems", "maxItems":
      let limit = Int(value.doubleValue ?? 0)
      let failed = keyword == "minItems" ? items.count < limit : items.count > limit
      if failed {
        report(&sink, path, spath, keyword, "array has \(items.count) items, limit \(limit)")
      }
      return !failed
    default:  // uniqueItems
      guard value.boolValue == true else { return true }
      for i in items.indices {
        for j in items.indices where j > i && JSONEquality.equal(items[i], items[j]) {
          report(&sink, path, spath, keyword, "items \(i) and \(j) are equal")
          return false
        }
      }
      return true
    }
  }

  mutating func checkObject(
    _ keyword: String, _ value: JSONValue, _ parent: JSONValue, _ instance: JSONValue,
    _ path: [String], _ spath: [String], _ sink: inout ViolationSink
  ) -> Bool {
    guard case .object(let members) = instance else { return true }
    var valid = true
    switch keyword {
    case "properties":
      for (name, subschema) in value.objectValue ?? [] {
        guard let member = members.first(where: { $0.key == name }) else { continue }
        if !check(
          member.value, against: subschema, at: path + [name], schemaAt: spath + [name], into: &sink
        ) {
          valid = false
        }
      }
    case "patternProperties":
      for (source, subschema) in value.objectValue ?? [] {
        guard let regex = schema.patterns[source] else { continue }
        for (name, member) in members
        where (try? regex.firstMatch(in: name)) != nil
          && !check(
            member, against: subschema, at: path + [name], schemaAt: spath + [source], into: &sink)
        {
          valid = false
        }
      }
    case "additionalProperties":
      let declared = Set(parent["properties"]?.objectValue?.map(\.key) ?? [])
      let regexes = (parent["patternProperties"]?.objectValue ?? []).compactMap {
        schema.patterns[$0.key]
      }
      for (name, member) in members
      where !declared.contains(name)
        && !regexes.contains(where: { (try? $0.firstMatch(in: name)) != nil })
      {
        if case .bool(false) = value {
          report(&sink, path + [name], spath, keyword, "property '\(name)' is not allowed")
          valid = false
        } else if !check(member, against: value, at: path + [name], schemaAt: spath, into: &sink) {
          valid = false
        }
      }
    case "required":
      for name in (value.arrayValue ?? []).compactMap(\.stringValue)
      where !members.contains(where: { $0.key == name }) {
        report(&sink, path, spath, keyword, "missing property '\(name)'")
        valid = false
      }
    case "minProperties", "maxProperties":
      let limit = Int(value.doubleValue ?? 0)
      valid = keyword == "minProperties" ? members.count >= limit : members.count <= limit
      if !valid {
        report(
          &sink, path, spath, keyword, "object has \(members.count) properties, limit \(limit)")
      }
    case "propertyNames":
      for (name, _) in members where !passes(.string(name), value, path + [name], spath) {
        report(&sink, path + [name], spath, keyword, "property name '\(name)' is not allowed")
        valid = false
      }
    case "dependentRequired":
      for (trigger, needed) in value.objectValue ?? []
      where members.contains(where: { $0.key == trigger }) {
        for name in (needed.arrayValue ?? []).compactMap(\.stringValue)
        where !members.contains(where: { $0.key == name }) {
          report(&sink, path, spath, keyword, "property '\(trigger)' requires property '\(name)'")
          valid = false
        }
      }
    default:  // dependentSchemas
      for (trigger, subschema) in value.objectValue ?? []
      where members.contains(where: { $0.key == trigger })
        && !check(instance, against: subschema, at: path, schemaAt: spath + [trigger], into: &sink)
      {
        valid = false
      }
    }
    return valid
  }
}
