// The command-line parser (STYLE.md D11): long options, `--key value` and `--key=value`, Boolean
// `--flag`, `-o` (output) and `-h` (help), `--` to end options, `-` as a value or positional meaning
// stdin/stdout. Options may repeat (`values(_:)` returns all). Anything unknown is a usage error.

/// A usage error: exit status 64 with "See '<tool> --help'." (printed by `runTool`).
public struct UsageError: Error, Equatable, CustomStringConvertible {
  /// What is wrong, lowercase, no trailing period.
  public let message: String
  /// Creates a usage error.
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Parsed command-line arguments.
///
///     let args = try Arguments(["--vocab-size", "512", "in.jsonl", "-o", "tok.json"],
///                              valued: ["vocab-size", "out"], boolean: ["help"])
///     let vocab: Int = try args.value("vocab-size", default: 8192)   // 512
///     args.positionals                                                // ["in.jsonl"]
public struct Arguments: Sendable {
  /// Values of valued options, in order given, keyed by long name.
  public private(set) var options: [String: [String]] = [:]
  /// Boolean flags that were given.
  public private(set) var flags: Set<String> = []
  /// Positional arguments in order.
  public private(set) var positionals: [String] = []

  /// Short forms understood everywhere.
  public static let shortForms: [String: String] = ["o": "out", "h": "help"]

  /// Parses `arguments` (without the tool and subcommand names).
  /// - Parameters:
  ///   - valued: long names of options that take a value (`out` is the long name of `-o`).
  ///   - boolean: long names of flags (`help` and `version` are always accepted).
  /// - Throws: `UsageError` for an unknown option or a missing value.
  public init<S: Sequence>(_ arguments: S, valued: Set<String>, boolean: Set<String> = []) throws
  where S.Element == String {
    let arguments = Array(arguments)
    let booleans = boolean.union(["help", "version"])
    var i = 0
    var onlyPositionals = false
    while i < arguments.count {
      let arg = arguments[i]
      i += 1
      if onlyPositionals || arg == "-" || !arg.hasPrefix("-") {
        positionals.append(arg)
        continue
      }
      if arg == "--" {
        onlyPositionals = true
        continue
      }
      var name: String
      var inlineValue: String?
      if arg.hasPrefix("--") {
        name = String(arg.dropFirst(2))
        if let eq = name.firstIndex(of: "=") {
          inlineValue = String(name[name.index(after: eq)...])
          name = String(name[..<eq])
        }
      } else {
        let short = String(arg.dropFirst())
        guard let long = Self.shortForms[short] else {
          throw UsageError("unknown option '\(arg)'")
        }
        name = long
      }
      if booleans.contains(name) {
        if let inlineValue {
          // `--progress=json` style: a flag with a mode is recorded as an option value too.
          options[name, default: []].append(inlineValue)
        }
        flags.insert(name)
      } else if valued.contains(name) {
        if let inlineValue {
          options[name, default: []].append(inlineValue)
        } else {
          guard i < arguments.count else {
            throw UsageError("option '--\(name)' needs a value")
          }
          options[name, default: []].append(arguments[i])
          i += 1
        }
      } else {
        throw UsageError("unknown option '--\(name)'")
      }
    }
  }

  /// True when the flag was given.
  public func flag(_ name: String) -> Bool { flags.contains(name) }

  /// The last value given for an option, or nil.
  public func string(_ name: String) -> String? { options[name]?.last }

  /// Every value given for a repeatable option, in order.
  public func values(_ name: String) -> [String] { options[name] ?? [] }

  /// The option's value parsed as `T`, or `defaultValue` when absent.
  /// - Throws: `UsageError` when the text does not parse as `T`.
  public func value<T: LosslessStringConvertible>(_ name: String, default defaultValue: T) throws
    -> T
  {
    guard let text = string(name) else { return defaultValue }
    guard let parsed = T(text) else {
      throw UsageError(
        "invalid value '\(text)' for '--\(name)': expected \(Self.expectation(T.self))")
    }
    return parsed
  }

  /// The option's value parsed as `T`, or nil when absent.
  /// - Throws: `UsageError` when the text does not parse as `T`.
  public func optionalValue<T: LosslessStringConvertible>(_ name: String) throws -> T? {
    guard let text = string(name) else { return nil }
    guard let parsed = T(text) else {
      throw UsageError(
        "invalid value '\(text)' for '--\(name)': expected \(Self.expectation(T.self))")
    }
    return parsed
  }

  /// What a value of type `T` looks like, for usage errors.
  static func expectation<T>(_ type: T.Type) -> String {
    switch type {
    case is Int.Type, is Int32.Type, is Int64.Type: return "an integer"
    case is UInt.Type, is UInt32.Type, is UInt64.Type: return "a non-negative integer"
    case is Double.Type, is Float.Type: return "a number"
    default: return "a value of type \(T.self)"
    }
  }

  /// The option's value, which must be given.
  /// - Throws: `UsageError` when absent.
  public func required(_ name: String) throws -> String {
    guard let text = string(name) else { throw UsageError("missing required option '--\(name)'") }
    return text
  }

  /// The option's value, which must be one of `choices`.
  public func choice(_ name: String, in choices: [String], default defaultValue: String) throws
    -> String
  {
    let text = string(name) ?? defaultValue
    guard choices.contains(text) else {
      throw UsageError(
        "invalid value '\(text)' for '--\(name)': expected one of \(choices.joined(separator: ", "))"
      )
    }
    return text
  }
}
