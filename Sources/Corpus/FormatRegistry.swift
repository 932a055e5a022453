// FormatRegistry.swift — the `--format NAME` table and `--format auto` sniffing. Formats are tried
// in registry order, most specific first, so a TRL-looking PKU record is still read as PKU. The
// built-in list is `FormatRegistry.standard` (FormatRegistry+Standard.swift); other modules add
// formats with `registering(_:)` (the Stack Exchange XML reader does).

/// The input formats `rmprep convert` knows, by name.
public struct FormatRegistry: Sendable {
  /// The formats in sniffing order.
  public private(set) var formats: [InputFormat]

  /// A registry of `formats`, tried in this order by `--format auto`.
  public init(_ formats: [InputFormat]) { self.formats = formats }

  /// This registry plus `format` (replacing a format of the same name, else appended; `before`
  /// inserts it ahead of the named format so auto-detection tries it first).
  public func registering(_ format: InputFormat, before other: String? = nil) -> FormatRegistry {
    var copy = self
    copy.formats.removeAll { $0.name == format.name }
    if let other, let index = copy.formats.firstIndex(where: { $0.name == other }) {
      copy.formats.insert(format, at: index)
    } else {
      copy.formats.append(format)
    }
    return copy
  }

  /// The names accepted by `--format` (plus `auto`).
  public var names: [String] { formats.map(\.name) }

  /// The format called `name`.
  /// - Throws: `FormatOptionError` naming the accepted formats.
  public func format(named name: String) throws -> InputFormat {
    guard let format = formats.first(where: { $0.name == name }) else {
      throw FormatOptionError(
        "unknown format '\(name)': expected auto, \(names.joined(separator: ", "))")
    }
    return format
  }

  /// Builds every reader that can be built with `options` (formats whose required options are
  /// missing, like `generic` without `--map`, are left out of auto-detection).
  public func candidates(options: FormatOptions) -> [(name: String, reader: InputFormat.Reader)] {
    formats.compactMap { format in
      guard let reader = try? format.makeReader(options) else { return nil }
      return (format.name, reader)
    }
  }

  /// The first JSON-record format whose adapter accepts `value`, or nil.
  public func sniff(record value: JSONValue, options: FormatOptions) -> (
    name: String, adapter: any RecordAdapter
  )? {
    for candidate in candidates(options: options) {
      if case .jsonRecords(let adapter) = candidate.reader, adapter.matches(value) {
        return (candidate.name, adapter)
      }
    }
    return nil
  }

  /// The first whole-input format that accepts `head`, or nil.
  public func sniff(head: [UInt8], options: FormatOptions) -> (
    name: String, reader: any WholeInputReader
  )? {
    for candidate in candidates(options: options) {
      if case .wholeInput(let reader) = candidate.reader, reader.matches(head: head) {
        return (candidate.name, reader)
      }
    }
    return nil
  }
}
