// FormatRegistry+Extra.swift — formats contributed by other parts of the Corpus module (the Stack
// Exchange XML reader). Add an `InputFormat` here; the ingest adapters live in +Standard.swift.

extension FormatRegistry {
  /// Formats appended after the built-in JSON formats (whole-input readers sniff by their first bytes,
  /// so their position does not matter for JSON inputs).
  static let extraFormats: [InputFormat] = [StackExchangeReader.format]
}
