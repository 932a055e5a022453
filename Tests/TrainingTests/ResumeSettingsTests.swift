// A resumed PPO run may extend --iterations and find its inputs at new paths; any other setting
// that differs from the checkpoint's is reported with its dotted path and both values.

import Corpus
import Testing

@testable import Training

@Suite struct ResumeSettingsTests {
  static func settings(
    iterations: Int = 2, kl: Double = 0.02, rmSHA: String = "ab", rmPath: String = "rm"
  )
    -> JSONValue
  {
    .object([
      (key: "toolkit_version", value: .string("1")),
      (key: "kind", value: .string("ppo")),
      (
        key: "ppo",
        value: .object([
          (key: "iterations", value: .int(iterations)), (key: "kl_coef", value: .double(kl)),
        ])
      ),
      (
        key: "lineage",
        value: .object([
          (
            key: "reward",
            value: .object([
              (key: "path", value: .string(rmPath)), (key: "model_sha256", value: .string(rmSHA)),
            ])
          )
        ])
      ),
    ])
  }

  @Test func iterationsAndPathsMayChange() {
    #expect(
      resumeSettingDifference(
        saved: Self.settings(), current: Self.settings(iterations: 9, rmPath: "moved/rm")) == nil)
  }

  @Test func anyOtherSettingIsReported() {
    #expect(
      resumeSettingDifference(
        saved: Self.settings(), current: Self.settings(iterations: 3, kl: 0.05))
        == SettingDifference(path: "ppo.kl_coef", saved: "0.02", current: "0.05"))
    #expect(
      resumeSettingDifference(saved: Self.settings(), current: Self.settings(rmSHA: "cd"))
        == SettingDifference(
          path: "lineage.reward.model_sha256", saved: "\"ab\"", current: "\"cd\""))
    let extra: JSONValue = .object([(key: "kind", value: .string("ppo"))])
    let fewer: JSONValue = .object([])
    #expect(
      resumeSettingDifference(saved: fewer, current: extra)
        == SettingDifference(path: "kind", saved: "absent", current: "\"ppo\""))
  }
}
