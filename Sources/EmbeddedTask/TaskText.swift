// TaskText: the small text helpers the task and its judge share — role-marker stripping, word
// splitting for counting and matching, and sentence capitalisation.
// Conventions: words are maximal runs of ASCII letters, digits and apostrophes, lowercased; the
// typographic apostrophe U+2019 counts as "'". Everything else separates words.

/// Text helpers of the embedded task.
public enum TaskText {
  /// The last human turn of an hh-rlhf prompt, without role markers or surrounding whitespace.
  ///
  /// `"\n\nHuman: What is 3 plus 4?\n\nAssistant:"` → `"What is 3 plus 4?"`; text without
  /// markers is returned trimmed.
  public static func humanTurn(in prompt: String) -> String {
    var text = Substring(prompt)
    if let marker = text.ranges(of: "Human:").last {
      text = text[marker.upperBound...]
    }
    if let marker = text.firstRange(of: "Assistant:") {
      text = text[..<marker.lowerBound]
    }
    return trimmed(text)
  }

  /// `text` without leading or trailing spaces, tabs and newlines.
  public static func trimmed<S: StringProtocol>(_ text: S) -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
    guard let first = text.firstIndex(where: { !isSpace($0) }),
      let last = text.lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(text[first...last])
  }

  /// The lowercased words of `text` (see the file header for what a word is).
  ///
  /// `" Sure! 3 plus 4 is 7."` → `["sure", "3", "plus", "4", "is", "7"]`.
  /// - Complexity: O(n) in the number of characters.
  public static func words(_ text: String) -> [String] {
    var words: [String] = []
    var current = ""
    for scalar in text.unicodeScalars {
      let isWordByte =
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
        || (scalar >= "0" && scalar <= "9") || scalar == "'" || scalar == "\u{2019}"
      if isWordByte {
        if scalar == "\u{2019}" {
          current.append("'")
        } else if scalar >= "A" && scalar <= "Z" {
          current.unicodeScalars.append(Unicode.Scalar(scalar.value + 32)!)
        } else {
          current.unicodeScalars.append(scalar)
        }
      } else if !current.isEmpty {
        words.append(current)
        current = ""
      }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }

  /// Whether the words of `phrase` occur as a contiguous run in `words`.
  public static func contains(_ words: [String], phrase: String) -> Bool {
    let needle = self.words(phrase)
    guard !needle.isEmpty, needle.count <= words.count else { return false }
    for start in 0...(words.count - needle.count)
    where words[start..<(start + needle.count)].elementsEqual(needle) {
      return true
    }
    return false
  }

  /// `text` with its first letter upper-cased (" a spider has 8 legs." → " A spider has 8 legs.").
  public static func capitalized(_ text: String) -> String {
    var scalars = Array(text.unicodeScalars)
    if let index = scalars.firstIndex(where: { $0 != " " }), scalars[index] >= "a",
      scalars[index] <= "z"
    {
      scalars[index] = Unicode.Scalar(scalars[index].value - 32)!
    }
    var out = ""
    out.unicodeScalars.append(contentsOf: scalars)
    return out
  }
}
