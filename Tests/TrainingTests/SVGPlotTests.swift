// Tests for the SVG plotter: tick choice, number formatting, escaping, determinism, and lines
// broken at non-finite points.

import Foundation
import Testing

@testable import Training

@Suite struct SVGPlotTests {
  @Test func niceTicksAndFormatting() {
    let ticks = niceTicks(0...1)
    #expect(ticks.values.count == 6)
    #expect(ticks.decimals == 1)
    #expect(
      ticks.values.map { formatTick($0, decimals: ticks.decimals) } == [
        "0.0", "0.2", "0.4", "0.6", "0.8", "1.0",
      ])
    #expect(niceTicks(0...1000).values == [0, 200, 400, 600, 800, 1000])
    #expect(formatTick(-0.004, decimals: 2) == "0.00")
    #expect(formatTick(-1.25, decimals: 1) == "-1.3")
    #expect(fmt(12.5) == "12.5" && fmt(64) == "64" && fmt(-0.001) == "0")
    #expect(escapeXML("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;")
  }

  @Test func rendersDeterministicPolylines() {
    let plot = SVGPlot(
      title: "loss <train>", xLabel: "step", yLabel: "loss",
      series: [
        PlotSeries(
          name: "train", points: [(0, 2), (1, 1.5), (2, .nan), (3, 1), (4, 0.5)], color: "#1f77b4"),
        PlotSeries(name: "val", points: [(4, 1.2)], color: "#d62728"),
      ])
    let svg = plot.render()
    #expect(svg == plot.render())
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.hasSuffix("</svg>\n"))
    #expect(svg.contains("loss &lt;train&gt;"))
    // The NaN splits the training line into two polylines; the single val point is a circle.
    #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
    #expect(svg.contains("<circle"))
    // x = 0 maps to the left edge of the plot area (64 px), y = 2 (max, a tick) to its top (32 px).
    #expect(svg.contains("points=\"64,32 "))
  }
}
