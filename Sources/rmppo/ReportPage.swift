// ReportPage: assembles the report directory of one pipeline run — index.html (tables, inline
// links to SVG curves, heat maps) and README.md (the same tables in Markdown) — and copies the
// pictures it links next to it, so the report directory is self-contained.

import Foundation

/// Writes `index.html`, `README.md`, the PPO curve SVGs, and copies of loss plots and heat maps.
struct ReportPage {
  let inputs: ReportInputs
  let title: String

  /// Writes the report into `directory` (created if needed); returns the files written.
  func write(to directory: String) throws -> [String] {
    let files = FileManager.default
    try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let writer = ReportWriter(inputs: inputs)
    let tables = writer.tables()
    var written: [String] = []
    let charts = writer.curves()
    for chart in charts {
      try Data(chart.svg.utf8).write(
        to: URL(fileURLWithPath: "\(directory)/\(chart.file)"), options: .atomic)
      written.append(chart.file)
    }
    var copied: [String] = []
    for relative in inputs.lossPlots + inputs.heatmaps {
      let flat = relative.replacingOccurrences(of: "/", with: "-")
      let target = "\(directory)/\(flat)"
      try? files.removeItem(atPath: target)
      try files.copyItem(atPath: "\(inputs.directory)/\(relative)", toPath: target)
      copied.append(flat)
    }
    written += copied
    try Data(html(tables: tables, charts: charts.map(\.file), copied: copied).utf8)
      .write(to: URL(fileURLWithPath: "\(directory)/index.html"), options: .atomic)
    try Data(markdown(tables: tables, charts: charts.map(\.file), copied: copied).utf8)
      .write(to: URL(fileURLWithPath: "\(directory)/README.md"), options: .atomic)
    return ["index.html", "README.md"] + written
  }

  private func html(tables: [ReportTable], charts: [String], copied: [String]) -> String {
    var page = """
      <!DOCTYPE html>
      <html><head><meta charset="utf-8"><title>\(escapeHTML(title))</title>
      <style>
      body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
      table { border-collapse: collapse; margin: 1em 0; } caption { text-align: left; font-weight: bold; }
      td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
      td:first-child, th:first-child { text-align: left; }
      img { border: 1px solid #ddd; margin: 4px; } iframe { width: 100%; height: 320px; border: 1px solid #ddd; }
      </style></head><body>
      <h1>\(escapeHTML(title))</h1>
      <p>Source: <code>\(escapeHTML(inputs.directory))</code>. Every number below is read from the
      files the pipeline wrote; nothing is edited by hand.</p>

      """
    for table in tables { page += table.html() }
    if !charts.isEmpty {
      page += "<h2>PPO curves</h2>\n"
      for chart in charts { page += "<img src=\"\(chart)\" alt=\"\(chart)\">\n" }
    }
    let losses = copied.filter { $0.hasSuffix(".svg") }
    if !losses.isEmpty {
      page += "<h2>Training curves</h2>\n"
      for loss in losses { page += "<img src=\"\(loss)\" alt=\"\(loss)\">\n" }
    }
    let maps = copied.filter { $0.hasSuffix(".html") }
    if !maps.isEmpty {
      page += "<h2>Token-level rewards (heat maps)</h2>\n"
      for map in maps {
        page +=
          "<h3><a href=\"\(map)\">\(escapeHTML(map))</a></h3>\n<iframe src=\"\(map)\"></iframe>\n"
      }
    }
    if !inputs.problems.isEmpty {
      page += "<h2>Files that could not be read</h2>\n<ul>\n"
      for problem in inputs.problems { page += "<li>\(escapeHTML(problem))</li>\n" }
      page += "</ul>\n"
    }
    return page + "</body></html>\n"
  }

  private func markdown(tables: [ReportTable], charts: [String], copied: [String]) -> String {
    var page = "# \(title)\n\nSource: `\(inputs.directory)`. Every number is read from the files "
    page += "the pipeline wrote.\n\n"
    for table in tables { page += table.markdown() }
    if !charts.isEmpty {
      page +=
        "## PPO curves\n\n" + charts.map { "![\($0)](\($0))" }.joined(separator: "\n") + "\n\n"
    }
    let maps = copied.filter { $0.hasSuffix(".html") }
    if !maps.isEmpty {
      page += "## Token-level rewards\n\n" + maps.map { "- [\($0)](\($0))" }.joined(separator: "\n")
      page += "\n\n"
    }
    if !inputs.problems.isEmpty {
      page += "## Files that could not be read\n\n"
      page += inputs.problems.map { "- \($0)" }.joined(separator: "\n") + "\n"
    }
    return page
  }
}
