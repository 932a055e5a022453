// SVGPlot: a small, dependency-free line-chart writer for training curves (loss.svg, PPO reward
// curves, the report). Output is deterministic text: the same series give byte-identical SVG.
// Coordinates: data space is mapped linearly into a plot area inside a fixed margin; SVG's y axis
// points down, so y is flipped. Numbers are written with at most 2 decimals (pixels) or the tick
// step's own precision (labels). Non-finite points are skipped, breaking the line there.

#if canImport(Glibc)
import Glibc
#endif

/// One line of a chart.
public struct PlotSeries: Sendable, Equatable {
  /// Legend label.
  public var name: String
  /// (x, y) points in data units, in drawing order.
  public var points: [(x: Double, y: Double)]
  /// Stroke colour, any SVG colour ("#1f77b4").
  public var color: String

  /// Creates a series.
  public init(name: String, points: [(x: Double, y: Double)], color: String) {
    self.name = name
    self.points = points
    self.color = color
  }

  public static func == (a: PlotSeries, b: PlotSeries) -> Bool {
    a.name == b.name && a.color == b.color && a.points.count == b.points.count
      && zip(a.points, b.points).allSatisfy { $0.x == $1.x && $0.y == $1.y }
  }
}

/// A line chart with axes, ticks, a title and a legend, rendered to SVG text.
public struct SVGPlot: Sendable {
  /// Chart title, drawn on top.
  public var title: String
  /// Label under the x axis ("step").
  public var xLabel: String
  /// Label beside the y axis ("loss").
  public var yLabel: String
  /// The lines to draw.
  public var series: [PlotSeries]
  /// Image width in pixels.
  public var width: Double = 640
  /// Image height in pixels.
  public var height: Double = 400

  /// Default palette for successive series.
  public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

  /// Creates a chart.
  public init(title: String, xLabel: String, yLabel: String, series: [PlotSeries]) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
  }

  /// The finite data range over every series, widened when degenerate.
  func dataBounds() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
    let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
    guard let first = points.first else { return (0...1, 0...1) }
    var (x0, x1, y0, y1) = (first.x, first.x, first.y, first.y)
    for p in points {
      x0 = min(x0, p.x)
      x1 = max(x1, p.x)
      y0 = min(y0, p.y)
      y1 = max(y1, p.y)
    }
    if x0 == x1 { (x0, x1) = (x0 - 1, x1 + 1) }
    if y0 == y1 { (y0, y1) = (y0 - 1, y1 + 1) }
    return (x0...x1, y0...y1)
  }

  /// Renders the chart as a standalone SVG document.
  public func render() -> String {
    let (left, right, top, bottom) = (64.0, 16.0, 32.0, 48.0)
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    let bounds = dataBounds()
    let xTicks = niceTicks(bounds.x)
    let yTicks = niceTicks(bounds.y)
    let xRange =
      min(bounds.x.lowerBound, xTicks.values.first!)...max(bounds.x.upperBound, xTicks.values.last!)
    let yRange =
      min(bounds.y.lowerBound, yTicks.values.first!)...max(bounds.y.upperBound, yTicks.values.last!)
    func px(_ x: Double) -> Double {
      left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth
    }
    func py(_ y: Double) -> Double {
      top + plotHeight - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)
        * plotHeight
    }
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(fmt(width))\" height=\"\(fmt(height))\""
    svg +=
      " viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    svg +=
      "<text x=\"\(fmt(width / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">\(escapeXML(title))</text>\n"
    // 1. Grid and tick labels.
    for tick in xTicks.values where xRange.contains(tick) {
      let x = fmt(px(tick))
      svg +=
        "<line x1=\"\(x)\" y1=\"\(fmt(top))\" x2=\"\(x)\" y2=\"\(fmt(top + plotHeight))\" stroke=\"#e0e0e0\"/>\n"
      svg += "<text x=\"\(x)\" y=\"\(fmt(top + plotHeight + 14))\" text-anchor=\"middle\">"
      svg += "\(formatTick(tick, decimals: xTicks.decimals))</text>\n"
    }
    for tick in yTicks.values where yRange.contains(tick) {
      let y = fmt(py(tick))
      svg +=
        "<line x1=\"\(fmt(left))\" y1=\"\(y)\" x2=\"\(fmt(left + plotWidth))\" y2=\"\(y)\" stroke=\"#e0e0e0\"/>\n"
      svg +=
        "<text x=\"\(fmt(left - 4))\" y=\"\(y)\" text-anchor=\"end\" dominant-baseline=\"middle\">"
      svg += "\(formatTick(tick, decimals: yTicks.decimals))</text>\n"
    }
    // 2. Axes and labels.
    svg +=
      "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(plotWidth))\" height=\"\(fmt(plotHeight))\""
    svg += " fill=\"none\" stroke=\"black\"/>\n"
    svg +=
      "<text x=\"\(fmt(left + plotWidth / 2))\" y=\"\(fmt(height - 8))\" text-anchor=\"middle\">"
    svg += "\(escapeXML(xLabel))</text>\n"
    svg += "<text x=\"14\" y=\"\(fmt(top + plotHeight / 2))\" text-anchor=\"middle\""
    svg +=
      " transform=\"rotate(-90 14 \(fmt(top + plotHeight / 2)))\">\(escapeXML(yLabel))</text>\n"
    // 3. One polyline per finite run of points, then the legend.
    for (index, line) in series.enumerated() {
      var run: [String] = []
      func flush() {
        if run.count == 1 {
          let xy = run[0].split(separator: ",")
          svg += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"2\" fill=\"\(line.color)\"/>\n"
        } else if run.count > 1 {
          svg += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.5\" points=\""
          svg += run.joined(separator: " ") + "\"/>\n"
        }
        run.removeAll()
      }
      for p in line.points {
        if p.x.isFinite && p.y.isFinite {
          run.append("\(fmt(px(p.x))),\(fmt(py(p.y)))")
        } else {
          flush()
        }
      }
      flush()
      let ly = top + 8 + Double(index) * 14
      let lx = left + plotWidth - 120
      svg += "<line x1=\"\(fmt(lx))\" y1=\"\(fmt(ly))\" x2=\"\(fmt(lx + 16))\" y2=\"\(fmt(ly))\""
      svg += " stroke=\"\(line.color)\" stroke-width=\"2\"/>\n"
      svg +=
        "<text x=\"\(fmt(lx + 20))\" y=\"\(fmt(ly))\" dominant-baseline=\"middle\">\(escapeXML(line.name))</text>\n"
    }
    svg += "</svg>\n"
    return svg
  }
}

/// Tick positions at a "nice" step (1, 2 or 5 × 10^k) covering `range` with about `target` ticks,
/// and the number of decimals that step needs.
func niceTicks(_ range: ClosedRange<Double>, target: Int = 6) -> (values: [Double], decimals: Int) {
  let span = range.upperBound - range.lowerBound
  let rough = span / Double(max(target - 1, 1))
  let magnitude = pow(10, floor(log10(rough)))
  let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
  let first = floor(range.lowerBound / step)
  let last = ceil(range.upperBound / step)
  let values = stride(from: first, through: last, by: 1).map { $0 * step }
  return (values, max(0, Int(-floor(log10(step)))))
}

/// A number with exactly `decimals` digits after the point, rounded half away from zero.
func formatTick(_ value: Double, decimals: Int) -> String {
  let scale = pow(10, Double(decimals))
  let scaled = (abs(value) * scale).rounded()
  let negative = value < 0 && scaled != 0
  let integer = Int(scaled / scale)
  var text = negative ? "-\(integer)" : "\(integer)"
  if decimals > 0 {
    let fraction = Int(scaled) - integer * Int(scale)
    let digits = String(fraction)
    text += "." + String(repeating: "0", count: decimals - digits.count) + digits
  }
  return text
}

/// A pixel coordinate with at most 2 decimals and no trailing zeros ("12.5", "64").
func fmt(_ value: Double) -> String {
  var text = formatTick(value, decimals: 2)
  while text.hasSuffix("0") { text.removeLast() }
  if text.hasSuffix(".") { text.removeLast() }
  return text == "-0" ? "0" : text
}

/// Escapes the five XML special characters.
func escapeXML(_ text: String) -> String {
  var out = ""
  for ch in text {
    switch ch {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&apos;"
    default: out.append(ch)
    }
  }
  return out
}
