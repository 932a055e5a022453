// TRLAdapter.swift — placeholder filled in below.

/// TRL preference records.
public struct TRLAdapter: RecordAdapter {
  /// Creates the adapter.
  public init() {}

  public func matches(_ value: JSONValue) -> Bool { value["chosen"] != nil && value["rejected"] != nil }

  public func convert(_ value: JSONValue) throws(RecordRejection) -> AdapterResult {
    guard let chosen = value["chosen"]?.stringValue else { throw .missing("chosen") }
    guard let rejected = value["rejected"]?.stringValue else { throw .missing("rejected") }
    return .pair(prompt: value["prompt"]?.stringValue ?? "", chosen: chosen, rejected: rejected, meta: .object([]))
  }
}
