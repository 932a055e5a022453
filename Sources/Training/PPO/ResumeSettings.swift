// What may change when a PPO run resumes: only `ppo.iterations` (a run can be extended; the
// cosine schedule then spans the new total) and the paths in `lineage` (inputs may move, their
// sha256s may not). Every other setting of the run's "seq2seqrm" block — PPO knobs, extraction
// knobs, reward kind, special ids, tokenizer sha256, input sha256s — must equal the checkpoint's,
// or the resumed run would silently train a different experiment under the same lineage.

import Corpus

/// One setting that differs between a checkpoint and a resumed run.
public struct SettingDifference: Sendable, Equatable {
  /// Dotted path of the setting, e.g. `ppo.kl_coef` or `lineage.reward.model_sha256`.
  public var path: String
  /// The checkpoint's value as JSON text (`absent` when it has none).
  public var saved: String
  /// The resumed run's value as JSON text (`absent` when it has none).
  public var current: String
}

/// The first setting (in the checkpoint's key order) that a resume may not change, or nil.
/// - Example: saved `{"ppo": {"iterations": 2, "kl_coef": 0.02}}`, current
///   `{"ppo": {"iterations": 3, "kl_coef": 0.05}}` → `ppo.kl_coef`: `0.02` vs `0.05`.
public func resumeSettingDifference(saved: JSONValue, current: JSONValue) -> SettingDifference? {
  func mayChange(_ path: [String]) -> Bool {
    path == ["ppo", "iterations"] || path == ["toolkit_version"]
      || (path.first == "lineage" && path.last == "path")
  }
  func text(_ value: JSONValue?) -> String { value.map { JSONWriter.string($0) } ?? "absent" }
  func walk(_ a: JSONValue?, _ b: JSONValue?, _ path: [String]) -> SettingDifference? {
    if mayChange(path) { return nil }
    if case .object(let left)? = a, case .object(let right)? = b {
      let keys =
        left.map(\.key) + right.map(\.key).filter { key in !left.contains { $0.key == key } }
      for key in keys {
        if let difference = walk(a?[key], b?[key], path + [key]) { return difference }
      }
      return nil
    }
    guard a != b else { return nil }
    return SettingDifference(path: path.joined(separator: "."), saved: text(a), current: text(b))
  }
  return walk(saved, current, [])
}
