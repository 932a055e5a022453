// The hand-written scanners against Swift Regex (the oracle), on fixed, random and real text.

import BPE
import Foundation
import Testing

@Suite struct PretokenizerTests {
  /// Deterministic pseudo-random generator (SplitMix64) so failures reproduce.
  struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let alphabet: [String] = [
    "a", "b", "Z", "Q", "s", "t", "l", "e", "r", "v", "m", "d", "S", "T", "L", "E",
    "'", "'", "'", "0", "7", "٣", "Ⅻ", "½", " ", " ", " ", "  ", "\n", "\r", "\r\n", "\t",
    "\u{A0}", "\u{2003}", ".", ",", "!", "?", "/", "-", "(", ")", "\"", "#", "中", "文", "ß",
    "é", "e\u{301}", "\u{301}", "\u{903}", "ǅ", "ʰ", "ー", "🤗", "🎉", "$", "\u{85}", "\u{2028}",
    "Ω", "ω", "\u{0}", "\u{7F}", "x", "y", "\u{1F1FA}", "\u{FEFF}", "ﬁ",
  ]

  static func randomText(_ rng: inout SplitMix) -> String {
    let n = Int(rng.next() % 24) + 1
    return (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
  }

  @Test(arguments: PretokenizerPattern.allCases)
  func matchesRegexOnRandomText(pattern: PretokenizerPattern) throws {
    let pre = Pretokenizer(pattern: pattern)
    var rng = SplitMix(state: 42)
    var mismatches: [String] = []
    for _ in 0..<400 {
      let text = Self.randomText(&rng)
      if try pre.split(text) != pre.referenceSplit(text) { mismatches.append(text) }
    }
    #expect(
      mismatches.isEmpty, "first mismatch: \(mismatches.first.map { String(reflecting: $0) } ?? "")"
    )
  }

  @Test(arguments: PretokenizerPattern.allCases)
  func matchesRegexOnFixtureCorpus(pattern: PretokenizerPattern) throws {
    let text = try String(contentsOfFile: fixture("bpe/corpus.txt"), encoding: .utf8)
    let pre = Pretokenizer(pattern: pattern)
    #expect(try pre.split(text) == pre.referenceSplit(text))
    #expect(pre.split(text).joined() == text)
  }

  @Test func matchesRegexOnSharedCorpus() throws {
    guard let path = sharedFile("corpora/llama-factory-demo/dpo_en_demo.json") else {
      print("skip: ../shared corpora not found")
      return
    }
    let text = String(try String(contentsOfFile: path, encoding: .utf8).prefix(60_000))
    for pattern in PretokenizerPattern.allCases {
      let pre = Pretokenizer(pattern: pattern)
      #expect(try pre.split(text) == pre.referenceSplit(text), "pattern \(pattern)")
    }
  }

  @Test func gpt2ExactPieces() {
    let pre = Pretokenizer(pattern: .gpt2)
    #expect(
      pre.split("Hello world's  end!!\n\n") == ["Hello", " world", "'s", " ", " end", "!!", "\n\n"])
    #expect(pre.split("x  y") == ["x", " ", " y"])
  }

  @Test func cl100kCurrentAndOriginalDifferOnlyAtTheEnd() {
    // INTEROP.md §3.9 finding 1.
    #expect(Pretokenizer(pattern: .cl100k).split("x \n  ") == ["x", " \n  "])
    #expect(Pretokenizer(pattern: .cl100kOriginal).split("x \n  ") == ["x", " \n", "  "])
    #expect(Pretokenizer(pattern: .cl100k).split("12345 it's") == ["123", "45", " it", "'s"])
  }

  @Test func o200kSplitsCamelCase() {
    #expect(Pretokenizer(pattern: .o200k).split("HelloWORLDFoo's") == ["Hello", "WORLDFoo's"])
  }

  @Test func invalidBytesArePiecesOfTheirOwn() {
    // KNOWN-FAULTS K14: `61 FF 62 20 63 64` → "a", FF, "b", " cd".
    let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0x20, 0x63, 0x64]
    for pattern in PretokenizerPattern.allCases {
      var ranges: [Range<Int>] = []
      bytes.withUnsafeBufferPointer { buffer in
        Pretokenizer(pattern: pattern).forEachPiece(in: buffer) { ranges.append($0) }
      }
      #expect(ranges == [0..<1, 1..<2, 2..<3, 3..<6], "pattern \(pattern)")
    }
  }
}
