// PPOMetrics as one metrics.jsonl line and back. The writer emits every named value
// (PPOMetrics.namedValues: stable slash names, fixed order) and the warnings; the reader restores
// the values `rmppo train` plots and summarises, so a resumed run can redraw its curves. The lines
// themselves are kept as written (PPORun.writeMetrics), never regenerated from the reader.

import Corpus

extension PPOMetrics {
  /// One metrics.jsonl line: the named values, plus the warnings when there are any.
  public var jsonValue: JSONValue {
    var members: [(key: String, value: JSONValue)] = namedValues.map {
      (key: $0.0, value: $0.0 == "iteration" ? .int(Int($0.1)) : .double($0.1))
    }
    if !warnings.isEmpty {
      members.append((key: "warnings", value: .array(warnings.map(JSONValue.string))))
    }
    return .object(members)
  }

  /// Reads back the plotted curves and the loss summaries of a metrics.jsonl line (the curves of
  /// a resumed run); the line itself is what metrics.jsonl keeps.
  public init(json: JSONValue) {
    self.init()
    iteration = json["iteration"]?.intValue ?? 0
    rewardMean = json["env/reward_mean"]?.doubleValue ?? 0
    rewardStd = json["env/reward_std"]?.doubleValue ?? 0
    kl = json["objective/kl"]?.doubleValue ?? 0
    penalizedRewardMean = json["objective/rlhf_reward"]?.doubleValue ?? 0
    responseLengthMean = json["response/length_mean"]?.doubleValue ?? 0
    eosFraction = json["response/eos_fraction"]?.doubleValue ?? 0
    refusalRate = json["response/refusal_rate"]?.doubleValue
    entropy = json["policy/entropy"]?.doubleValue ?? 0
    policyLoss = json["loss/policy"]?.doubleValue ?? 0
    valueLoss = json["loss/value"]?.doubleValue ?? 0
    clipFraction = json["ppo/clipfrac"]?.doubleValue ?? 0
    approximateKL = json["ppo/approx_kl"]?.doubleValue ?? 0
  }
}
