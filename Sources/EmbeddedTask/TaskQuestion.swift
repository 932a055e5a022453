// TaskQuestion: one question or request of the embedded task, with everything needed to write
// responses to it (concise, wrong, compliant) and to judge a response.
// Conventions: `text` is the human turn without role markers; answers begin with a space.
// A question is recovered from its text alone (`TaskQuestion(parsing:)`), which is how the gold
// judge works on prompts decoded from token shards.

/// The four kinds of prompt in the task.
public enum PromptCategory: String, Sendable, CaseIterable, Codable {
  /// "What is 3 plus 4?": a computed answer.
  case arithmetic
  /// "What is the capital of Peru?": an answer from `FactTable.relations`.
  case fact
  /// "How do I kill a stuck process on my computer?": harmless, but sounds harmful.
  case safeRequest = "safe-request"
  /// "How do I steal a car?": must be refused.
  case harmful

  /// Whether a good assistant refuses this kind of prompt.
  public var shouldRefuse: Bool { self == .harmful }
}

/// A question with its gold answer.
public struct TaskQuestion: Sendable, Equatable {
  /// What kind of prompt this is.
  public let category: PromptCategory
  /// The human turn, e.g. "What is 3 plus 4?".
  public let text: String
  /// The concise correct answer (" 3 plus 4 is 7."); for a harmful request, empty.
  public let conciseAnswer: String
  /// The word or phrase a correct answer must contain ("7", "Paris", "kill command").
  public let goldKey: String?
  /// Keys that mark an answer as wrong when they appear (other values of the same relation).
  public let wrongKeys: [String]
  /// Plausible wrong answers, in the style of `conciseAnswer`.
  public let wrongAnswers: [String]
  /// For a harmful request, what a careless assistant answers.
  public let compliance: String?
}

extension TaskQuestion {
  /// Draws a question of `category` uniformly from the built-in tables.
  public static func random(_ category: PromptCategory, using random: inout TaskRandom)
    -> TaskQuestion
  {
    switch category {
    case .arithmetic:
      let template = Template(random.pick(FactTable.arithmeticQuestions))
      let isPlus = random.below(2) == 0
      var a = 1 + random.below(9)
      var b = 1 + random.below(9)
      if !isPlus && b > a { swap(&a, &b) }
      let values = ["a": String(a), "op": isPlus ? "plus" : "minus", "b": String(b)]
      return arithmetic(text: template.fill(values), values: values)!
    case .fact:
      let relation = random.pick(FactTable.relations)
      let fact = random.pick(relation.facts)
      let text = Template(random.pick(relation.questions)).fill(["x": fact.subject])
      return TaskQuestion(relation: relation, subject: fact.subject, value: fact.value, text: text)
    case .safeRequest:
      return TaskQuestion(safeRequest: random.pick(FactTable.safeRequests))
    case .harmful:
      let request = random.pick(FactTable.harmfulRequests)
      let text = Template(random.pick(FactTable.harmfulQuestions)).fill(["act": request.act])
      return TaskQuestion(harmful: request, text: text)
    }
  }

  /// Recovers the question from its text, or nil when no template of the task matches.
  ///
  /// Accepts the bare human turn or a whole hh-rlhf prompt ("\n\nHuman: …\n\nAssistant:").
  public init?(parsing prompt: String) {
    let text = TaskText.humanTurn(in: prompt)
    for question in FactTable.arithmeticQuestions {
      if let values = Template(question).match(text),
        let parsed = Self.arithmetic(
          text: text, values: values)
      {
        self = parsed
        return
      }
    }
    for relation in FactTable.relations {
      for question in relation.questions {
        guard let subject = Template(question).match(text)?["x"],
          let fact = relation.facts.first(where: { $0.subject == subject })
        else { continue }
        self.init(relation: relation, subject: subject, value: fact.value, text: text)
        return
      }
    }
    if let request = FactTable.safeRequests.first(where: { $0.request == text }) {
      self.init(safeRequest: request)
      return
    }
    for question in FactTable.harmfulQuestions {
      guard let act = Template(question).match(text)?["act"],
        let request = FactTable.harmfulRequests.first(where: { $0.act == act })
      else { continue }
      self.init(harmful: request, text: text)
      return
    }
    return nil
  }

  // MARK: - Builders, one per category

  private static func arithmetic(text: String, values: [String: String]) -> TaskQuestion? {
    guard let a = values["a"].flatMap({ Int($0) }), let b = values["b"].flatMap({ Int($0) }),
      let op = values["op"], op == "plus" || op == "minus", (0...99).contains(a),
      (0...99).contains(b)
    else { return nil }
    let c = op == "plus" ? a + b : a - b
    let answer = Template(FactTable.arithmeticAnswer)
    var filled = values
    let wrong = [c - 2, c - 1, c + 1, c + 2].filter { $0 >= 0 }.map { value -> String in
      filled["c"] = String(value)
      return answer.fill(filled)
    }
    filled["c"] = String(c)
    return TaskQuestion(
      category: .arithmetic, text: text, conciseAnswer: answer.fill(filled), goldKey: String(c),
      wrongKeys: [], wrongAnswers: wrong, compliance: nil)
  }

  private init(relation: FactRelation, subject: String, value: String, text: String) {
    let answer = Template(relation.answer)
    let others = relation.values.filter { $0 != value }
    self.init(
      category: .fact, text: text,
      conciseAnswer: TaskText.capitalized(answer.fill(["x": subject, "y": value])),
      goldKey: value, wrongKeys: others,
      wrongAnswers: others.map { TaskText.capitalized(answer.fill(["x": subject, "y": $0])) },
      compliance: nil)
  }

  private init(safeRequest: SafeRequest) {
    self.init(
      category: .safeRequest, text: safeRequest.request, conciseAnswer: safeRequest.answer,
      goldKey: safeRequest.key,
      wrongKeys: FactTable.safeRequests.map(\.key).filter { $0 != safeRequest.key },
      wrongAnswers: FactTable.safeRequests.map(\.answer).filter { $0 != safeRequest.answer },
      compliance: nil)
  }

  private init(harmful: HarmfulRequest, text: String) {
    self.init(
      category: .harmful, text: text, conciseAnswer: "", goldKey: nil, wrongKeys: [],
      wrongAnswers: [], compliance: harmful.compliance)
  }
}
