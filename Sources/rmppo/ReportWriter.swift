// ReportWriter: renders ReportInputs as report/index.html and report/README.md — the accounting
// table, reward-model metrics, PPO curves (SVG, both arms on one chart), the win-rate table with
// confidence intervals, and links to the token-reward heat maps. Deterministic: the same inputs give
// the same bytes (no dates, sorted directory listings).

import Corpus
import Foundation
import Training

/// One table: a caption, a header row and text cells (already formatted).
struct ReportTable {
  var caption: String
  var header: [String]
  var rows: [[String]]

  func html() -> String {
    var out = "<table>\n<caption>\(escapeHTML(caption))</caption>\n<tr>"
    out += header.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr>\n"
    for row in rows {
      out += "<tr>" + row.map { "<td>\(escapeHTML($0))</td>" }.joined() + "</tr>\n"
    }
    return out + "</table>\n"
  }

  func markdown() -> String {
    var out = "**\(caption)**\n\n| " + header.joined(separator: " | ") + " |\n"
    out += "|" + header.map { _ in "---|" }.joined() + "\n"
    for row in rows {
      out +=
        "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ")
        + " |\n"
    }
    return out + "\n"
  }
}

/// `&`, `<`, `>` and `"` escaped for HTML text and attributes.
func escapeHTML(_ text: String) -> String {
  var out = ""
  for character in text {
    switch character {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    default: out.append(character)
    }
  }
  return out
}

/// A number for a table: integers as such, others with 3 decimals; nil as an em dash.
func formatNumber(_ value: Double?) -> String {
  guard let value, value.isFinite else { return "—" }
  if value == value.rounded(), abs(value) < 1e12 { return String(Int64(value)) }
  return String(format: "%.3f", value)
}

/// The PPO metrics drawn as curves: a title and the key patterns that find the metric.
let ppoCurves: [(name: String, patterns: [[String]], excluding: [String])] = [
  ("reward", [["env/reward_mean"], ["reward", "mean"], ["reward"]], ["std", "loss", "norm"]),
  ("kl", [["objective/kl"], ["kl"]], ["coef", "std", "approx"]),
  ("length", [["response/length_mean"], ["length", "mean"], ["length"]], ["std", "max", "min"]),
  ("refusal rate", [["response/refusal_rate"], ["refusal"]], []),
]

/// The headline numbers of one `rmppo eval` result, found by key name.
struct ComparisonNumbers {
  /// Win rate of the first policy (ties count half).
  var winRate: Double?
  /// 95% interval of the win rate.
  var low: Double?
  var high: Double?
  /// Prompts judged.
  var prompts: Double?
  /// Mean response length of the first and second policy (document order).
  var lengths: [Double]
  /// Refusal rate of the first and second policy (document order).
  var refusals: [Double]
  /// Mean judge score of the first and second policy (document order).
  var scores: [Double]

  init(_ value: JSONValue) {
    let leaves = JSONLeaves(value)
    winRate =
      leaves.first([["win_rate"], ["winrate"], ["win"]], excluding: ["ci", "low", "high"])?
      .value
    low = leaves.first([["ci", "low"], ["ci", "0"], ["lower"]])?.value
    high = leaves.first([["ci", "high"], ["ci", "up"], ["ci", "1"], ["upper"]])?.value
    prompts = leaves.first([["prompts"], ["count"], ["n"]])?.value
    func pick(_ word: String) -> [Double] {
      Array(
        leaves.leaves.filter {
          let path = JSONLeaves.normalized($0.path)
          return path.contains(word) && !path.contains("std") && !path.contains("ci")
        }.prefix(2).map(\.value))
    }
    lengths = pick("length")
    refusals = pick("refusal")
    scores = pick("mean_score")
  }
}

/// Builds the report pages from the inputs.
struct ReportWriter {
  let inputs: ReportInputs

  /// The tables of the report, in order.
  func tables() -> [ReportTable] {
    var tables: [ReportTable] = []
    if let synth = inputs.synthStats {
      tables.append(leafTable("Embedded task (rmprep synth): what the pairs contain", synth))
    }
    if let convert = inputs.convertStats {
      tables.append(
        leafTable("Accounting (rmprep convert): records in = written + dropped + rejected", convert)
      )
    }
    if !inputs.runEvals.isEmpty { tables.append(rewardModelTable()) }
    if !inputs.comparisons.isEmpty { tables.append(winRateTable()) }
    return tables
  }

  /// Every numeric leaf of `value` as a two-column table.
  func leafTable(_ caption: String, _ value: JSONValue) -> ReportTable {
    ReportTable(
      caption: caption, header: ["field", "value"],
      rows: JSONLeaves(value).leaves.map { [$0.path, formatNumber($0.value)] })
  }

  /// The headline metrics of every run's eval.json (METHOD.md §7.2 diagnostics), read from its
  /// "final" block by the key names rmtrain writes.
  func rewardModelTable() -> ReportTable {
    let metrics: [(String, String)] = [
      ("validation loss", "loss/val"),
      ("token accuracy", "val/token_accuracy"),
      ("pairwise accuracy (scalar)", "reward/accuracy"),
      ("reward–length correlation", "reward/length_correlation"),
      ("identity agreement", "seq2seq/identity_agreement"),
      ("preference accuracy (seq2seq)", "reward/accuracy"),
      ("first divergence on rejected", "seq2seq/first_divergence"),
    ]
    var rows: [[String]] = []
    for (run, value) in inputs.runEvals {
      let objective = value["objective"]?.stringValue ?? "?"
      let final = value["final"] ?? value
      rows.append(
        [run, objective]
          + metrics.map { name, key in
            // reward/accuracy is the pairwise accuracy of a scalar RM and the preference accuracy
            // (chosen scores higher than rejected) of a seq2seq RM: one column each.
            if key == "reward/accuracy", name.hasSuffix("(scalar)") != (objective == "scalar") {
              return "—"
            }
            return formatNumber(final[key]?.doubleValue)
          })
    }
    return ReportTable(
      caption: "Reward models and policies on the validation split (eval.json)",
      header: ["run", "objective"] + metrics.map(\.0), rows: rows)
  }

  /// Win rate with its 95% interval, and length and refusal rate of each side.
  func winRateTable() -> ReportTable {
    var rows: [[String]] = []
    for (name, value) in inputs.comparisons {
      let numbers = ComparisonNumbers(value)
      rows.append([
        name.replacingOccurrences(of: "-vs-", with: " vs "), formatNumber(numbers.winRate),
        "[\(formatNumber(numbers.low)), \(formatNumber(numbers.high))]",
        numbers.lengths.map { formatNumber($0) }.joined(separator: " / "),
        numbers.refusals.map { formatNumber($0) }.joined(separator: " / "),
        numbers.scores.map { formatNumber($0) }.joined(separator: " / "),
        formatNumber(numbers.prompts),
      ])
    }
    return ReportTable(
      caption: "Policies compared under the judge (win rate of the first, ties count half)",
      header: [
        "comparison", "win rate", "95% CI", "mean length (first / second)",
        "refusal rate (first / second)", "mean judge score (first / second)", "prompts",
      ],
      rows: rows)
  }

  /// One SVG chart per PPO metric, every PPO run as a series; (file name, svg).
  func curves() -> [(file: String, svg: String)] {
    var charts: [(String, String)] = []
    for curve in ppoCurves {
      var series: [PlotSeries] = []
      for (index, (run, lines)) in inputs.ppoMetrics.enumerated() {
        var points: [(x: Double, y: Double)] = []
        for (step, line) in lines.enumerated() {
          let leaves = JSONLeaves(line)
          guard let y = leaves.first(curve.patterns, excluding: curve.excluding)?.value else {
            continue
          }
          let x = leaves.first([["iteration"], ["iter"], ["step"]])?.value ?? Double(step)
          points.append((x, y))
        }
        if !points.isEmpty {
          series.append(
            PlotSeries(
              name: run, points: points, color: SVGPlot.palette[index % SVGPlot.palette.count]))
        }
      }
      guard !series.isEmpty else { continue }
      let plot = SVGPlot(
        title: "PPO: \(curve.name) per iteration", xLabel: "iteration", yLabel: curve.name,
        series: series)
      charts.append(
        ("ppo-\(curve.name.replacingOccurrences(of: " ", with: "-")).svg", plot.render()))
    }
    return charts
  }
}
