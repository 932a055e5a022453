// Shared helpers for the BPE tests: fixture paths and a small trained tokenizer.

import BPE
import Foundation

/// Path of `Fixtures/<name>` at the package root.
func fixture(_ name: String, filePath: String = #filePath) -> String {
  URL(fileURLWithPath: filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").appendingPathComponent(name).path
}

/// Path of `../shared/<name>` next to the package root, or nil when absent.
func sharedFile(_ name: String, filePath: String = #filePath) -> String? {
  let path = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("shared").appendingPathComponent(name).path
  return FileManager.default.fileExists(atPath: path) ? path : nil
}

/// Counts the words of `texts` with `pattern`.
func countWords(_ texts: [String], pattern: PretokenizerPattern = .gpt2) -> WordCounts {
  var counts = WordCounts()
  let pre = Pretokenizer(pattern: pattern)
  for text in texts {
    var text = text
    text.withUTF8 { counts.addText($0, pretokenizer: pre) }
  }
  return counts
}

/// A tokenizer trained on the fixture corpus (vocab 400).
func fixtureTokenizer(pattern: PretokenizerPattern = .gpt2, vocabSize: Int = 400) throws
  -> Tokenizer
{
  let text = try String(contentsOfFile: fixture("bpe/corpus.txt"), encoding: .utf8)
  let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
    String($0) + "\n"
  }
  let model = try BPETrainer.train(
    countWords(lines, pattern: pattern),
    options: TrainerOptions(vocabSize: vocabSize, pattern: pattern))
  return try Tokenizer(model: model)
}
