// ExperimentSummary: aggregates several pipeline runs (one per seed) into the experiment table of
// `make experiment` — the seq2seq arm's win rate against the scalar arm with a 95% interval, mean
// response length and refusal rate per arm — and checks each against the paper's qualitative claims
// (METHOD.md §5–6). Two intervals are given: across seeds (Student t over the per-seed win rates:
// seed-to-seed variation) and pooled over all judged prompts (Wilson: sampling noise only).

import Foundation

/// The per-seed numbers and their aggregate.
struct ExperimentSummary {
  /// One run directory's comparisons.
  struct Seed {
    var directory: String
    var arms: ComparisonNumbers?
    var seq2seqVsSFT: ComparisonNumbers?
    var scalarVsSFT: ComparisonNumbers?
  }

  var seeds: [Seed]

  init(directories: [String]) {
    seeds = directories.map { directory in
      let inputs = ReportInputs(directory: directory)
      func find(_ name: String) -> ComparisonNumbers? {
        inputs.comparisons.first(where: { $0.name == name }).map { ComparisonNumbers($0.value) }
      }
      return Seed(
        directory: directory, arms: find("seq2seq-vs-scalar"), seq2seqVsSFT: find("seq2seq-vs-sft"),
        scalarVsSFT: find("scalar-vs-sft"))
    }
  }

  /// Mean and 95% Student-t interval of `values` (nil interval for fewer than two values).
  static func meanInterval(_ values: [Double]) -> (mean: Double, low: Double?, high: Double?)? {
    guard !values.isEmpty else { return nil }
    let mean = values.reduce(0, +) / Double(values.count)
    guard values.count >= 2 else { return (mean, nil, nil) }
    let variance =
      values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
    // Two-sided 97.5% quantiles of Student's t for 1…9 degrees of freedom, then the normal one.
    let quantiles = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262]
    let t = values.count - 1 <= quantiles.count ? quantiles[values.count - 2] : 1.96
    let half = t * (variance / Double(values.count)).squareRoot()
    return (mean, mean - half, mean + half)
  }

  /// The Wilson score interval (95%) of `successes` out of `trials`.
  static func wilson(successes: Double, trials: Double) -> (low: Double, high: Double)? {
    guard trials > 0 else { return nil }
    let z = 1.959_963_985
    let p = successes / trials
    let denominator = 1 + z * z / trials
    let center = (p + z * z / (2 * trials)) / denominator
    let half = z * (p * (1 - p) / trials + z * z / (4 * trials * trials)).squareRoot() / denominator
    return (center - half, center + half)
  }

  /// The aggregate table: one row per seed, then the mean with both intervals.
  func table() -> ReportTable {
    var rows: [[String]] = []
    for (index, seed) in seeds.enumerated() {
      rows.append(row("seed run \(index + 1) (\(seed.directory))", seed))
    }
    let wins = seeds.compactMap { $0.arms?.winRate }
    if let aggregate = Self.meanInterval(wins) {
      let trials = seeds.compactMap { seed in seed.arms?.prompts }.reduce(0, +)
      let successes = seeds.compactMap { seed -> Double? in
        guard let win = seed.arms?.winRate, let n = seed.arms?.prompts else { return nil }
        return win * n
      }.reduce(0, +)
      let pooled = Self.wilson(successes: successes, trials: trials)
      func mean(_ pick: (Seed) -> Double?) -> String {
        formatNumber(Self.meanInterval(seeds.compactMap(pick))?.mean)
      }
      rows.append([
        "mean of \(wins.count) seeds", formatNumber(aggregate.mean),
        "[\(formatNumber(aggregate.low)), \(formatNumber(aggregate.high))] across seeds; "
          + "[\(formatNumber(pooled?.low)), \(formatNumber(pooled?.high))] pooled",
        mean { $0.arms?.lengths.first }, mean { $0.arms?.lengths.dropFirst().first },
        mean { $0.arms?.refusals.first }, mean { $0.arms?.refusals.dropFirst().first },
        mean { $0.seq2seqVsSFT?.winRate }, mean { $0.scalarVsSFT?.winRate },
      ])
    }
    return ReportTable(
      caption: "Experiment: PPO with the seq2seq RM against PPO with the scalar RM, gold judge",
      header: [
        "run", "win rate seq2seq vs scalar", "95% CI", "length seq2seq", "length scalar",
        "refusal seq2seq", "refusal scalar", "seq2seq vs SFT", "scalar vs SFT",
      ], rows: rows)
  }

  private func row(_ name: String, _ seed: Seed) -> [String] {
    [
      name, formatNumber(seed.arms?.winRate),
      "[\(formatNumber(seed.arms?.low)), \(formatNumber(seed.arms?.high))]",
      formatNumber(seed.arms?.lengths.first), formatNumber(seed.arms?.lengths.dropFirst().first),
      formatNumber(seed.arms?.refusals.first), formatNumber(seed.arms?.refusals.dropFirst().first),
      formatNumber(seed.seq2seqVsSFT?.winRate), formatNumber(seed.scalarVsSFT?.winRate),
    ]
  }

  /// Each paper claim with what our runs say: reproduced, contradicted, or not settled.
  func verdicts() -> [(claim: String, verdict: String)] {
    var out: [(String, String)] = []
    let wins = seeds.compactMap { $0.arms?.winRate }
    if let aggregate = Self.meanInterval(wins) {
      let verdict: String
      if let low = aggregate.low, low > 0.5 {
        verdict = "reproduced in direction: mean win rate \(formatNumber(aggregate.mean)) > 0.5"
      } else if let high = aggregate.high, high < 0.5 {
        verdict = "contradicted: mean win rate \(formatNumber(aggregate.mean)) < 0.5"
      } else if aggregate.low == nil {
        verdict =
          "not settled: one seed (win rate \(formatNumber(aggregate.mean))); "
          + "an interval across seeds needs at least two"
      } else {
        verdict =
          "not settled: mean win rate \(formatNumber(aggregate.mean)), the interval covers 0.5"
      }
      out.append(
        (
          "The seq2seq RM gives a better policy than the scalar RM (§5.3; 76.9% in the paper)",
          verdict
        ))
    }
    out.append(
      compare(
        "Less long-response bias: the seq2seq arm writes shorter responses (§6)",
        first: seeds.compactMap { $0.arms?.lengths.first },
        second: seeds.compactMap { $0.arms?.lengths.dropFirst().first }, unit: "mean length"))
    out.append(
      compare(
        "Less refusal-to-response: the seq2seq arm refuses less (§6)",
        first: seeds.compactMap { $0.arms?.refusals.first },
        second: seeds.compactMap { $0.arms?.refusals.dropFirst().first }, unit: "refusal rate"))
    return out
  }

  private func compare(_ claim: String, first: [Double], second: [Double], unit: String) -> (
    String, String
  ) {
    guard !first.isEmpty, first.count == second.count else { return (claim, "no data") }
    let lower = zip(first, second).filter { $0 < $1 }.count
    let a = first.reduce(0, +) / Double(first.count)
    let b = second.reduce(0, +) / Double(second.count)
    let direction = a < b ? "reproduced in direction" : "not reproduced"
    return (
      claim,
      "\(direction): \(unit) seq2seq \(formatNumber(a)) vs scalar \(formatNumber(b)); "
        + "seq2seq lower in \(lower) of \(first.count) seeds"
    )
  }

  /// The experiment page as Markdown (also embedded in the HTML page).
  func markdown() -> String {
    var page = "# Experiment: seq2seq vs scalar reward model\n\n" + table().markdown()
    page += "**Against the paper's claims (METHOD.md §5–6)**\n\n| claim | our runs |\n|---|---|\n"
    for (claim, verdict) in verdicts() { page += "| \(claim) | \(verdict) |\n" }
    return page + "\n"
  }

  /// The experiment page as HTML.
  func html() -> String {
    var page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Experiment</title>"
    page += "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
    page += "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}</style>"
    page += "</head><body>\n<h1>Experiment: seq2seq vs scalar reward model</h1>\n" + table().html()
    page += "<table>\n<caption>Against the paper's claims (METHOD.md §5–6)</caption>\n"
    page += "<tr><th>claim</th><th>our runs</th></tr>\n"
    for (claim, verdict) in verdicts() {
      page += "<tr><td>\(escapeHTML(claim))</td><td>\(escapeHTML(verdict))</td></tr>\n"
    }
    return page + "</table>\n</body></html>\n"
  }
}
