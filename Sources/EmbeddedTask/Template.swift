// Template: "{slot}" string templates, filled to write prompts and answers and matched to read a
// prompt back (the gold judge recovers the question from the prompt text alone).
// Conventions: a slot name is letters only; two slots are never adjacent (a literal separates them),
// so matching scans literals left to right and is unambiguous for the task's tables.

/// A text with named `{slot}`s, e.g. `"What is {a} {op} {b}?"`.
///
/// ```swift
/// let t = Template("What is {a} {op} {b}?")
/// t.fill(["a": "3", "op": "plus", "b": "4"])  // "What is 3 plus 4?"
/// t.match("What is 3 plus 4?")                // ["a": "3", "op": "plus", "b": "4"]
/// ```
public struct Template: Sendable, Equatable {
  /// Alternating pieces: literal text or a slot name.
  enum Piece: Sendable, Equatable {
    case literal(String)
    case slot(String)
  }

  let pieces: [Piece]

  /// Parses `text`; braces always delimit a slot.
  public init(_ text: String) {
    var pieces: [Piece] = []
    var literal = ""
    var slot: String?
    for character in text {
      if character == "{" {
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        literal = ""
        slot = ""
      } else if character == "}", let name = slot {
        pieces.append(.slot(name))
        slot = nil
      } else if slot != nil {
        slot!.append(character)
      } else {
        literal.append(character)
      }
    }
    if !literal.isEmpty { pieces.append(.literal(literal)) }
    self.pieces = pieces
  }

  /// The text with every slot replaced by its value (a missing value leaves the slot empty).
  public func fill(_ values: [String: String]) -> String {
    var out = ""
    for piece in pieces {
      switch piece {
      case .literal(let text): out += text
      case .slot(let name): out += values[name] ?? ""
      }
    }
    return out
  }

  /// The slot values if `text` has the template's shape, else nil. Slot values are non-empty.
  ///
  /// Each slot takes the text up to the next occurrence of the following literal (or the rest of
  /// the text for a final slot).
  /// - Complexity: O(n·m) for text length n and literal length m.
  public func match(_ text: String) -> [String: String]? {
    var values: [String: String] = [:]
    var rest = Substring(text)
    var index = 0
    while index < pieces.count {
      switch pieces[index] {
      case .literal(let literal):
        guard rest.hasPrefix(literal) else { return nil }
        rest = rest.dropFirst(literal.count)
      case .slot(let name):
        if index + 1 < pieces.count, case .literal(let next) = pieces[index + 1] {
          guard let range = rest.firstRange(of: next), range.lowerBound > rest.startIndex else {
            return nil
          }
          values[name] = String(rest[rest.startIndex..<range.lowerBound])
          rest = rest[range.lowerBound...]
        } else {
          guard !rest.isEmpty else { return nil }
          values[name] = String(rest)
          rest = rest[rest.endIndex...]
        }
      }
      index += 1
    }
    return rest.isEmpty ? values : nil
  }
}
