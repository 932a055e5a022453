// ReportInputs: everything `rmppo report` reads from a pipeline output directory (the layout
// scripts/demo.sh writes), loaded into JSON values. The stages own their file formats, so the report
// reads them tolerantly: numbers are found by key name (`JSONLeaves`), and whatever a file holds is
// shown in full, never reinterpreted.
// Layout: data/{synth-stats,convert-stats}.json, runs/<run>/{eval.json,metrics.jsonl,loss.svg},
// eval/<a>-vs-<b>.json, heatmaps/*.html.

import Corpus
import Foundation

/// The numeric leaves of a JSON value as ("a/b/0", value) paths, in document order.
struct JSONLeaves {
  /// (slash-separated path, value) for every number and Boolean (true = 1).
  let leaves: [(path: String, value: Double)]

  init(_ value: JSONValue) {
    var out: [(String, Double)] = []
    Self.walk(value, prefix: "", into: &out)
    leaves = out
  }

  private static func walk(_ value: JSONValue, prefix: String, into out: inout [(String, Double)]) {
    switch value {
    case .number:
      if let number = value.doubleValue { out.append((prefix, number)) }
    case .bool(let flag): out.append((prefix, flag ? 1 : 0))
    case .array(let items):
      for (index, item) in items.enumerated() {
        walk(item, prefix: prefix.isEmpty ? "\(index)" : "\(prefix)/\(index)", into: &out)
      }
    case .object(let members):
      for member in members {
        walk(
          member.value, prefix: prefix.isEmpty ? member.key : "\(prefix)/\(member.key)", into: &out)
      }
    case .null, .string: break
    }
  }

  /// The first leaf whose path, lowercased with `.` and `-` read as `_`, contains every word of
  /// one of `patterns` (tried in order), e.g. `["win_rate"]`, `["identity", "agree"]`.
  func first(_ patterns: [[String]], excluding: [String] = []) -> (path: String, value: Double)? {
    for words in patterns {
      if let hit = leaves.first(where: { leaf in
        let path = Self.normalized(leaf.path)
        return words.allSatisfy { path.contains($0) } && !excluding.contains { path.contains($0) }
      }) {
        return hit
      }
    }
    return nil
  }

  static func normalized(_ path: String) -> String {
    String(path.lowercased().map { $0 == "." || $0 == "-" ? "_" : $0 })
  }
}

/// The files of one pipeline run directory, parsed.
struct ReportInputs {
  /// The directory read.
  let directory: String
  /// data/synth-stats.json (embedded task only).
  var synthStats: JSONValue?
  /// data/convert-stats.json: the ingest accounting.
  var convertStats: JSONValue?
  /// runs/<name>/eval.json, by run name.
  var runEvals: [(run: String, value: JSONValue)] = []
  /// runs/<name>/metrics.jsonl for the PPO runs, by run name.
  var ppoMetrics: [(run: String, lines: [JSONValue])] = []
  /// eval/<name>.json: policy comparisons under the judge.
  var comparisons: [(name: String, value: JSONValue)] = []
  /// heatmaps/*.html, relative to `directory`.
  var heatmaps: [String] = []
  /// runs/<name>/loss.svg, relative to `directory`.
  var lossPlots: [String] = []
  /// Files that exist but did not parse, with the error (shown in the report, never hidden).
  var problems: [String] = []

  /// True when nothing the pipeline writes was found (a wrong `--dir`).
  var isEmpty: Bool {
    synthStats == nil && convertStats == nil && runEvals.isEmpty && ppoMetrics.isEmpty
      && comparisons.isEmpty && heatmaps.isEmpty && lossPlots.isEmpty && problems.isEmpty
  }

  /// Loads what exists under `directory`; missing files are simply absent from the report.
  init(directory: String) {
    self.directory = directory
    let files = FileManager.default
    synthStats = loadJSON("data/synth-stats.json")
    convertStats = loadJSON("data/convert-stats.json")
    let runs = ((try? files.contentsOfDirectory(atPath: "\(directory)/runs")) ?? []).sorted()
    for run in runs {
      if let value = loadJSON("runs/\(run)/eval.json") { runEvals.append((run, value)) }
      if run.hasPrefix("ppo"), let lines = loadJSONLines("runs/\(run)/metrics.jsonl") {
        ppoMetrics.append((run, lines))
      }
      if files.fileExists(atPath: "\(directory)/runs/\(run)/loss.svg") {
        lossPlots.append("runs/\(run)/loss.svg")
      }
    }
    let evals = ((try? files.contentsOfDirectory(atPath: "\(directory)/eval")) ?? []).sorted()
    for name in evals where name.hasSuffix(".json") {
      if let value = loadJSON("eval/\(name)") {
        comparisons.append((String(name.dropLast(5)), value))
      }
    }
    let maps = ((try? files.contentsOfDirectory(atPath: "\(directory)/heatmaps")) ?? []).sorted()
    heatmaps = maps.filter { $0.hasSuffix(".html") }.map { "heatmaps/\($0)" }
  }

  private mutating func loadJSON(_ relative: String) -> JSONValue? {
    let path = "\(directory)/\(relative)"
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    do {
      return try JSONParser.parse(Array(data), path: path)
    } catch {
      problems.append("\(relative): \(error)")
      return nil
    }
  }

  private mutating func loadJSONLines(_ relative: String) -> [JSONValue]? {
    let path = "\(directory)/\(relative)"
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    var lines: [JSONValue] = []
    for (index, line) in data.split(separator: 0x0A).enumerated()
    where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
      do {
        lines.append(try JSONParser.parse(Array(line), path: path, firstLine: index + 1))
      } catch {
        problems.append("\(relative): \(error)")
        return lines
      }
    }
    return lines
  }
}
