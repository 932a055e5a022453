// `--format stackexchange`: Stack Exchange Posts.xml → preference pairs (issue 3, FORMATS.md §7).
// Pass 1 streams the rows (PostsXMLReader) and indexes questions and answers by Id, texts in a
// SpillableTextStore (Body still as HTML); pass 2 walks questions in Id order, pairs their answers
// with the StackExchangePairing rule and renders the HTML of just the posts in a pair, once each
// (in small dumps about half the questions and answers are in none). Accounting (one outcome per
// counted record): every written pair is a record; every row that ends up in no pair is dropped
// with its reason (not-a-pair for other post types, too-few-answers, tied-preference,
// unpaired-answer, orphan-answer); broken rows are rejected. So `in` = pairs + unused rows +
// broken rows.

/// Options of the Stack Exchange reader (FormatOptions keys in parentheses).
public struct StackExchangeOptions: Sendable, Equatable {
  /// Pairing knobs (`max-pairs-per-question`, `min-score-gap`).
  public var pairing = StackExchangePairingOptions()
  /// Skip rows that are not well-formed XML instead of failing (`xml-recover`).
  public var recover = false
  /// Bytes of post text kept in memory before spilling to a temp file (`xml-memory-limit`, MiB).
  public var memoryLimit = 256 << 20
  /// Site name for attribution (`site`); default: the input's parent directory name.
  public var site: String?

  public init() {}

  /// Reads the options from `--format` settings.
  /// - Throws: `FormatOptionError` for a value that is not a positive integer / Boolean.
  public init(_ options: FormatOptions) throws {
    func integer(_ key: String, minimum: Int) throws -> Int? {
      guard let text = options[key] else { return nil }
      guard let value = Int(text), value >= minimum else {
        throw FormatOptionError("--\(key) must be an integer ≥ \(minimum), got '\(text)'")
      }
      return value
    }
    pairing.maxPairsPerQuestion = try integer("max-pairs-per-question", minimum: 1)
    pairing.minScoreGap = try integer("min-score-gap", minimum: 1) ?? 1
    if let limit = try integer("xml-memory-limit", minimum: 0) { memoryLimit = limit << 20 }
    if let flag = options["xml-recover"] {
      guard let value = Bool(flag) else { throw FormatOptionError("--xml-recover takes no value") }
      recover = value
    }
    site = options["site"]
  }
}

/// Reads Posts.xml dumps into pairs.
public struct StackExchangeReader: WholeInputReader {
  public let options: StackExchangeOptions

  public init(options: StackExchangeOptions = StackExchangeOptions()) { self.options = options }

  /// The registry entry for `--format stackexchange`.
  public static let format = InputFormat(
    name: "stackexchange", summary: "Stack Exchange Posts.xml dump: answers paired by score"
  ) { options in .wholeInput(StackExchangeReader(options: try StackExchangeOptions(options))) }

  /// `<?xml` (after an optional BOM and whitespace) or a `<posts>` root.
  public func matches(head: [UInt8]) -> Bool {
    var start = head[...]
    if start.starts(with: [0xEF, 0xBB, 0xBF]) { start = start.dropFirst(3) }
    while let first = start.first, first == 0x20 || first == 0x0A || first == 0x0D || first == 0x09
    {
      start = start.dropFirst()
    }
    if start.starts(with: Array("<posts".utf8)) { return true }
    guard start.starts(with: Array("<?xml".utf8)) else { return false }
    return head.count < 512 || head.firstRange(of: Array("<posts".utf8)) != nil
  }

  struct Question {
    var acceptedAnswerId: Int?
    var text: SpillableTextStore.Ref
  }

  struct Answer {
    var id: Int
    var parentId: Int
    var score: Int
    var text: SpillableTextStore.Ref
  }

  public func read(_ source: ByteSource, emit: (InputRecordOutcome) throws -> Void) throws {
    let name = source.name
    let site = options.site ?? Self.siteName(for: name)
    let store = SpillableTextStore(memoryLimit: options.memoryLimit)
    var questions: [Int: Question] = [:]
    var answers: [Answer] = []
    // Question and answer Ids → first line (duplicates are rejected).
    var seenLines: [Int: Int] = [:]
    let xml = PostsXMLReader(name: name, recover: options.recover) { try source.read(into: $0) }
    try xml.forEachRow(
      onRecovered: { broken in
        let lines = broken.lines.count == 1 ? "\(broken.lines.lowerBound)" : "\(broken.lines)"
        try emit(
          InputRecordOutcome(
            source: "\(name):\(broken.lines.lowerBound)",
            result: .failure(
              RecordRejection(
                .malformedXML, "line \(lines), column \(broken.column): \(broken.reason)"))))
      },
      { row in
        let decoded = Result { () throws(RecordRejection) in
          try StackExchangePost.decodeKeys(row)
        }
        guard case .success(let post) = decoded else {
          try emit(
            InputRecordOutcome(
              source: "\(name):\(row.line)", result: decoded.map { _ in .dropped(.notAPair) }))
          return
        }
        if post.postTypeId == StackExchangePost.question
          || post.postTypeId == StackExchangePost.answer
        {
          if let first = seenLines.updateValue(row.line, forKey: post.id) {
            seenLines[post.id] = first
            let rejection = RecordRejection(
              .invalidValue, "duplicate post Id \(post.id) (first on line \(first))")
            try emit(InputRecordOutcome(source: "\(name):\(row.line)", result: .failure(rejection)))
            return
          }
        }
        switch post.postTypeId {
        case StackExchangePost.question:
          let blob = StackExchangePost.blob(row, isQuestion: true)
          questions[post.id] = Question(
            acceptedAnswerId: post.acceptedAnswerId, text: try store.append(blob))
        case StackExchangePost.answer:
          let blob = StackExchangePost.blob(row, isQuestion: false)
          answers.append(
            Answer(
              id: post.id, parentId: post.parentId!, score: post.score, text: try store.append(blob)
            ))
        default:
          try emit(
            InputRecordOutcome(source: "\(name):\(post.id)", result: .success(.dropped(.notAPair))))
        }
      })
    try emitPairs(
      questions: questions, answers: answers, store: store, site: site, name: name, emit: emit)
  }

  /// Pass 2: questions in Id order, each question's pairs, then its unused rows; orphans last.
  func emitPairs(
    questions: [Int: Question], answers: [Answer], store: SpillableTextStore, site: String,
    name: String, emit: (InputRecordOutcome) throws -> Void
  ) throws {
    // One renderer for every body: its buffers are reused.
    var renderer = HTMLStreamText()
    var byQuestion: [Int: [Answer]] = [:]
    var orphans: [Answer] = []
    for answer in answers {
      if questions[answer.parentId] != nil {
        byQuestion[answer.parentId, default: []].append(answer)
      } else {
        orphans.append(answer)
      }
    }
    for questionId in questions.keys.sorted() {
      let question = questions[questionId]!
      let group = (byQuestion[questionId] ?? []).sorted { $0.id < $1.id }
      let ranked = group.map {
        RankedAnswer(id: $0.id, score: $0.score, isAccepted: $0.id == question.acceptedAnswerId)
      }
      let pairs =
        group.count < 2 ? [] : StackExchangePairing.pairs(of: ranked, options: options.pairing)
      let answerById = Dictionary(uniqueKeysWithValues: group.map { ($0.id, $0) })
      // Blob fields with the HTML (field 0) rendered to text, read and rendered once per post.
      var rendered: [Int: [String?]] = [:]
      func fields(_ id: Int) throws -> [String?] {
        if let done = rendered[id] { return done }
        let fields = BlobFields.decode(
          try store.read(answerById[id]!.text), renderingFirstWith: &renderer)
        rendered[id] = fields
        return fields
      }
      var questionFields: [String?] = []
      if !pairs.isEmpty {
        questionFields = BlobFields.decode(
          try store.read(question.text), renderingFirstWith: &renderer)
        questionFields[0] = StackExchangePost.promptText(
          title: questionFields.count > 5 ? questionFields[5] : nil, body: questionFields[0] ?? "")
      }
      var used: Set<Int> = []
      for pair in pairs {
        used.insert(pair.chosen.id)
        used.insert(pair.rejected.id)
        let chosen = try fields(pair.chosen.id)
        let rejected = try fields(pair.rejected.id)
        let meta = StackExchangeMeta.make(
          site: site, questionId: questionId, acceptedAnswerId: question.acceptedAnswerId,
          question: questionFields, chosen: (pair.chosen, chosen),
          rejected: (pair.rejected, rejected))
        try emit(
          InputRecordOutcome(
            source: "\(name):\(questionId)",
            result: .success(
              .pair(
                prompt: questionFields[0] ?? "", chosen: chosen[0] ?? "",
                rejected: rejected[0] ?? "", meta: meta))))
      }
      if pairs.isEmpty {
        let reason: DropReason = group.count < 2 ? .tooFewAnswers : .tiedPreference
        try emit(
          InputRecordOutcome(source: "\(name):\(questionId)", result: .success(.dropped(reason))))
      }
      for answer in group where !used.contains(answer.id) {
        let reason: DropReason = group.count < 2 ? .tooFewAnswers : .unpairedAnswer
        try emit(
          InputRecordOutcome(source: "\(name):\(answer.id)", result: .success(.dropped(reason))))
      }
    }
    for answer in orphans.sorted(by: { $0.id < $1.id }) {
      try emit(
        InputRecordOutcome(
          source: "\(name):\(answer.id)", result: .success(.dropped(.orphanAnswer))))
    }
  }

  /// `…/stackexchange-french-meta/Posts.xml` → `stackexchange-french-meta`; `<stdin>` → `unknown`.
  static func siteName(for path: String) -> String {
    let parts = path.split(separator: "/")
    guard parts.count >= 2 else { return "unknown" }
    return String(parts[parts.count - 2])
  }
}
