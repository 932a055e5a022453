// JSON forms of what a run records: one metrics.jsonl line per step, the evaluation objects of
// eval.json, and rm_config.json. Metric names are stable slash names that scripts grep (STYLE.md D3).

import BPE
import Corpus

extension TrainingStepRecord {
  /// One metrics.jsonl line.
  public var jsonValue: JSONValue {
    var members: [(key: String, value: JSONValue)] = [
      (key: "step", value: .int(step)), (key: "epoch", value: .int(epoch)),
      (key: "loss/train", value: .double(loss)), (key: "train/lr", value: .double(learningRate)),
      (key: "train/grad_norm", value: .double(gradientNorm)),
      (key: "perf/tokens_per_s", value: .double(tokensPerSecond.rounded())),
    ]
    if let batchAccuracy {
      members.append((key: "reward/accuracy_train", value: .double(batchAccuracy)))
    }
    return .object(members)
  }

  /// Reads a metrics.jsonl line back (for resume and plots); nil when it is not one.
  public init?(json: JSONValue) {
    guard let step = json["step"]?.intValue, let loss = json["loss/train"]?.doubleValue else {
      return nil
    }
    self.init(
      step: step, epoch: json["epoch"]?.intValue ?? 0, loss: loss,
      learningRate: json["train/lr"]?.doubleValue ?? 0,
      gradientNorm: json["train/grad_norm"]?.doubleValue ?? 0, tokens: 0, seconds: 0,
      batchAccuracy: json["reward/accuracy_train"]?.doubleValue)
  }
}

extension EvaluationResult {
  /// The evaluation as a JSON object (eval.json's "final" and "history" entries).
  public var jsonValue: JSONValue {
    func optional(_ value: Double?) -> JSONValue { value.map(JSONValue.double) ?? .null }
    var members: [(key: String, value: JSONValue)] = [
      (key: "step", value: .int(step)), (key: "count", value: .int(count)),
      (key: "loss/val", value: .double(loss)),
    ]
    if let perplexity { members.append((key: "val/perplexity", value: .double(perplexity))) }
    if let tokenAccuracy {
      members.append((key: "val/token_accuracy", value: .double(tokenAccuracy)))
    }
    if let m = scalar {
      let buckets = m.lengthBuckets.map { b -> JSONValue in
        .object([
          (key: "min_tokens", value: .int(b.lowerBound)),
          (key: "max_tokens", value: b.upperBound.map { .int($0) } ?? .null),
          (key: "pairs", value: .int(b.pairCount)), (key: "accuracy", value: optional(b.accuracy)),
        ])
      }
      members += [
        (key: "reward/accuracy", value: .double(m.accuracy)),
        (key: "reward/ties", value: .int(m.tieCount)),
        (key: "reward/margin", value: .double(m.meanMargin)),
        (key: "reward/chosen_mean", value: .double(m.meanChosenReward)),
        (key: "reward/rejected_mean", value: .double(m.meanRejectedReward)),
        (key: "reward/length_correlation", value: optional(m.rewardLengthCorrelation)),
        (key: "reward/accuracy_by_length", value: .array(buckets)),
      ]
    }
    if let m = seq2seq {
      members += [
        (key: "seq2seq/pairs", value: .int(m.pairCount)),
        (key: "seq2seq/identity_agreement", value: .double(m.identityAgreement)),
        (key: "seq2seq/first_divergence", value: .double(m.meanFirstDivergence)),
        (key: "seq2seq/first_divergence_relative", value: .double(m.meanRelativeFirstDivergence)),
        (key: "reward/accuracy", value: .double(m.preferenceAccuracy)),
        (key: "reward/chosen_mean", value: .double(m.meanChosenReward)),
        (key: "reward/rejected_mean", value: .double(m.meanRejectedReward)),
      ]
    }
    return .object(members)
  }
}

extension TrainingData {
  /// Counts of the split for eval.json: documents read, units kept, drops by reason.
  public var summaryJSON: JSONValue {
    .object([
      (key: "documents", value: .int(documentCount)), (key: "units", value: .int(unitCount)),
      (
        key: "dropped",
        value: .object(dropped.keys.sorted().map { (key: $0, value: .int(dropped[$0]!)) })
      ),
    ])
  }
}

/// Special token ids as a JSON object in the fixed order pad, bos, eos, sep_resp, sep_corr.
public func specialIDsJSON(_ ids: SpecialTokenIDs) -> JSONValue {
  .object([
    (key: "pad", value: .int(ids.pad)), (key: "bos", value: .int(ids.bos)),
    (key: "eos", value: .int(ids.eos)), (key: "sep_resp", value: .int(ids.sepResp)),
    (key: "sep_corr", value: .int(ids.sepCorr)),
  ])
}

/// Reads special ids written by `specialIDsJSON`; nil when a key is missing.
public func specialIDs(json: JSONValue) -> SpecialTokenIDs? {
  func id(_ key: String) -> UInt32? { json[key]?.intValue.flatMap { UInt32(exactly: $0) } }
  guard let pad = id("pad"), let bos = id("bos"), let eos = id("eos"), let sr = id("sep_resp"),
    let sc = id("sep_corr")
  else { return nil }
  return SpecialTokenIDs(pad: pad, bos: bos, eos: eos, sepResp: sr, sepCorr: sc)
}
