// FormatRegistry+Standard.swift — the built-in formats, in auto-detection order (most specific
// first). Adapters live in Sources/Corpus/Formats/, one file each; README "ingest" documents them.

extension FormatRegistry {
  /// Every built-in format.
  public static let standard = FormatRegistry([
    StackExchangeReader.format,
    InputFormat(name: "trl", summary: "TRL standard or conversational: prompt/chosen/rejected") { _ in
      .jsonRecords(TRLAdapter())
    }
  ])
}
