// PKUSafeRLHFAdapter.swift — PKU-SafeRLHF v0/v1 (FORMATS.md §2): `prompt`, `response_0`,
// `response_1`, `better_response_id`, `safer_response_id` (0/1). `--prefer better` (default; the
// helpfulness axis) or `--prefer safer` (harmlessness) picks the index of the chosen response; the
// other is rejected. Safety labels, severities, harm categories and sources stay in `meta`.

/// Reads PKU-SafeRLHF records along one preference axis.
public struct PKUSafeRLHFAdapter: RecordAdapter {
  /// Which annotation decides the pair.
  public enum Axis: String, Sendable, CaseIterable {
    /// `better_response_id`: more helpful.
    case better
    /// `safer_response_id`: more harmless.
    case safer
  }

  /// The axis used.
  public let axis: Axis

  /// Creates the adapter for `axis`.
  public init(axis: Axis = .better) { self.axis = axis }

  /// Builds the adapter from `prefer=better|safer`.
  /// - Throws: `FormatOptionError` for another value.
  public init(options: FormatOptions) throws {
    let text = options["prefer"] ?? "better"
    guard let axis = Axis(rawValue: text) else {
      throw FormatOptionError("invalid value '\(text)' for '--prefer': expected better, safer")
    }
    self.axis = axis
  }

  public func matches(_ value: JSONValue) -> Bool {
    value.hasKeys("prompt", "response_0", "response_1")
      && (value["better_response_id"] != nil || value["safer_response_id"] != nil)
  }

  public func convert(_ value: JSONValue) throws(RecordRejection) -> AdapterResult {
    let prompt = try value.requiredString("prompt")
    let responses = [
      try value.requiredString("response_0"), try value.requiredString("response_1"),
    ]
    let chosenIndex = try value.requiredIndex("\(axis.rawValue)_response_id")
    return .pair(
      prompt: prompt, chosen: responses[chosenIndex], rejected: responses[1 - chosenIndex],
      meta: value.removingKeys(["prompt", "response_0", "response_1"]))
  }
}
