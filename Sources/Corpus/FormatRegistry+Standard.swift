// FormatRegistry+Standard.swift — the built-in formats, in auto-detection order (most specific
// first: a PKU record also has a `prompt`, an UltraFeedback-binarized one also has chosen/rejected
// lists). Adapters live in Sources/Corpus/Formats/, one file each; README "ingest" documents them.
// The Stack Exchange XML reader registers itself from its own file (`FormatRegistry.standard` is
// built from `builtInFormats` plus `extraFormats`).

extension FormatRegistry {
  /// Every built-in format, in auto-detection order.
  public static let standard = FormatRegistry(builtInFormats + extraFormats)

  /// The JSON-record formats of this file.
  static let builtInFormats: [InputFormat] = [
    InputFormat(name: "pku-saferlhf", summary: "PKU-SafeRLHF (--prefer better|safer)") {
      .jsonRecords(try PKUSafeRLHFAdapter(options: $0))
    },
    InputFormat(name: "tldr-comparisons", summary: "summarize-from-feedback comparisons") { _ in
      .jsonRecords(TLDRComparisonsAdapter())
    },
    InputFormat(name: "shp", summary: "Stanford Human Preferences (history, human_ref_A/B)") { _ in
      .jsonRecords(SHPAdapter())
    },
    InputFormat(
      name: "ultrafeedback", summary: "UltraFeedback raw (best vs lowest rated) or binarized"
    ) { _ in
      .jsonRecords(UltraFeedbackAdapter())
    },
    InputFormat(name: "helpsteer2", summary: "HelpSteer2 preference file (preference_strength)") {
      _ in
      .jsonRecords(HelpSteer2Adapter())
    },
    InputFormat(
      name: "sharegpt-dpo", summary: "LLaMA-Factory ShareGPT DPO (conversations or *_messages)"
    ) { _ in
      .jsonRecords(ShareGPTDPOAdapter())
    },
    InputFormat(name: "hh-rlhf", summary: "Anthropic HH-RLHF transcripts (chosen/rejected only)") {
      _ in
      .jsonRecords(HHRLHFAdapter())
    },
    InputFormat(
      name: "trl", summary: "TRL standard or conversational (explicit or implicit prompt)"
    ) { _ in
      .jsonRecords(TRLAdapter())
    },
    InputFormat(
      name: "generic", summary: "any JSON via --map prompt=PATH,chosen=PATH,rejected=PATH"
    ) {
      .jsonRecords(try GenericAdapter(options: $0))
    },
  ]
}
