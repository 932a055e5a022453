// The HTML heat map of `rmppo score`: one block per response, each token a span whose background
// is green for a positive score and red for a negative one, with opacity |score| / max |score|;
// hovering shows the score and (seq2seq) what the reward model would have written there. The
// first divergence is outlined. Self-contained: inline CSS, no script.

import BPE

/// The page for all scored responses.
func heatMapHTML(
  _ results: [ScoredResponse], piece: (TokenID) -> String, title: String,
  predictionPiece: (TokenID) -> String
) -> String {
  let largest = results.flatMap(\.scores).map { abs(Double($0)) }.max() ?? 1
  let scale = largest > 0 ? largest : 1
  var html = """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>\(escapeHTML(title))</title>
    <style>
    body { font-family: sans-serif; margin: 2em; max-width: 60em; }
    .response { margin: 1em 0 2em; }
    .prompt { color: #555; white-space: pre-wrap; font-size: 90%; }
    .tokens { font-family: monospace; line-height: 2; white-space: pre-wrap; }
    .tok { padding: 2px 1px; border-radius: 3px; }
    .diverge { outline: 2px solid #000; }
    .meta { color: #777; font-size: 85%; }
    </style></head><body>
    <h1>\(escapeHTML(title))</h1>
    <p class="meta">Green: positive token reward, red: negative; stronger colour = larger
    magnitude (max |score| \(formatNumber(largest))). Hover a token for its score and the reward
    model's prediction. The outlined token is the first divergence.</p>

    """
  for r in results {
    html += "<div class=\"response\">\n"
    html += "<div class=\"meta\">line \(r.line), \(escapeHTML(r.which)); total "
    html += formatNumber(r.scores.reduce(0.0) { $0 + Double($1) })
    if let k = r.firstDivergence { html += "; first divergence at token \(k)" }
    html += "</div>\n<div class=\"prompt\">\(escapeHTML(r.prompt))</div>\n<div class=\"tokens\">"
    for (t, token) in r.response.enumerated() {
      let score = Double(r.scores[t])
      let alpha = min(1, abs(score) / scale) * 0.85
      let colour =
        score >= 0
        ? "rgba(0,160,60,\(formatNumber(alpha)))" : "rgba(220,30,30,\(formatNumber(alpha)))"
      var tip = "score \(formatNumber(score))"
      if let predictions = r.predictions {
        tip += "; RM would write \(predictionPiece(predictions[t]).debugDescription)"
      }
      if let values = r.values { tip += "; running score \(formatNumber(Double(values[t])))" }
      let divergence = r.firstDivergence == t ? " diverge" : ""
      html +=
        "<span class=\"tok\(divergence)\" style=\"background:\(colour)\" title=\"\(escapeHTML(tip))\">"
      html += escapeHTML(piece(token)) + "</span>"
    }
    html += "</div>\n</div>\n"
  }
  return html + "</body></html>\n"
}
