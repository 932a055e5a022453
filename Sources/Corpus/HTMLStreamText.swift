// Single-pass HTML → text for Stack Exchange bodies: the same text as HTMLText's tree renderer
// (HTMLFragment tree + renderBlocks, kept as the reference), without building the tree. Tags drive
// a stack that mirrors HTMLFragment.Builder's open-element stack exactly (implied `</p>` and
// `</li>`, end tags closing through the innermost match, void elements); each open element
// renders its children incrementally as they arrive, so closing an element is where the tree
// renderer would have rendered it.
//
// How an element renders depends on its parent's mode, fixed when it opens:
//   block  (root, p/div/…, blockquote, li in a list, hN, table parts, cells): text and inline
//          elements go to the container's InlineText, block elements flush it and open blocks;
//   inline (inside a non-block element): everything feeds the same InlineText; a/code/kbd lay
//          out their content in a nested InlineText; block names are transparent, as in the tree;
//   raw    (inside <pre>): text verbatim, <br> as LF;
//   list   (<ul>/<ol>): only <li> children count;  row (<tr>): every element child is a cell;
//   ignore (<script>/<style>, non-<li> list children): nothing.
// Blocks of a container are kept joined (separator before every block but the first, counted, so
// an empty block still gets its separators, as `join` does).
//
// Performance notes (2026-12-04): the tree cost one String name, one attribute dictionary and one
// children array per element, Set<String> lookups per tag and a [[UInt8]] per nesting level. Here
// tag names are packed into two words and classified once; attributes stay byte ranges and only
// href/src/alt/start are decoded; containers and their buffers are reused across bodies.
// Tag names longer than 16 bytes or not ASCII return nil: the caller renders with the tree.

/// Renders HTML bodies to text in one pass (reusable: keeps its buffers between calls).
struct HTMLStreamText {
  /// A lowercased ASCII tag name of at most 16 bytes, packed (bytes little-endian, zero-padded).
  struct Name: Equatable {
    var low: UInt64 = 0
    var high: UInt64 = 0
    var count = 0

    init(_ text: StaticString) {
      let start = text.utf8Start
      for index in 0..<text.utf8CodeUnitCount { set(index, start[index]) }
      count = text.utf8CodeUnitCount
    }

    /// The lowercased name at `range`; nil when longer than 16 bytes or not ASCII.
    init?(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
      guard range.count <= 16 else { return nil }
      for (offset, index) in range.enumerated() {
        var byte = bytes[index]
        guard byte < 0x80 else { return nil }
        if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
        set(offset, byte)
      }
      count = range.count
    }

    private mutating func set(_ index: Int, _ byte: UInt8) {
      if index < 8 {
        low |= UInt64(byte) << (8 * index)
      } else {
        high |= UInt64(byte) << (8 * (index - 8))
      }
    }
  }

  /// What the tree renderer does with an element, by name.
  enum Tag: Equatable {
    case p, li, ul, ol, pre, hr, blockquote, table, tr, br, a, code, kbd, img, ignored
    case heading(Int)
    /// thead, tbody, tfoot: rendered like a table.
    case tableGroup
    /// Other block elements that close an open `<p>` (div, dl).
    case closingBlock
    /// Other block elements (section, dt, dd, figure …).
    case block
    /// Other void elements (area, input, wbr …).
    case void
    /// Any other element: inline.
    case other
  }

  static let known: [(Name, Tag)] = [
    (Name("p"), .p), (Name("a"), .a), (Name("li"), .li), (Name("em"), .other),
    (Name("strong"), .other), (Name("code"), .code), (Name("ul"), .ul), (Name("ol"), .ol),
    (Name("blockquote"), .blockquote), (Name("hr"), .hr), (Name("br"), .br),
    (Name("pre"), .pre), (Name("img"), .img), (Name("td"), .other), (Name("tr"), .tr),
    (Name("h1"), .heading(1)), (Name("h2"), .heading(2)), (Name("h3"), .heading(3)),
    (Name("h4"), .heading(4)), (Name("h5"), .heading(5)), (Name("h6"), .heading(6)),
    (Name("kbd"), .kbd), (Name("table"), .table), (Name("thead"), .tableGroup),
    (Name("tbody"), .tableGroup), (Name("tfoot"), .tableGroup), (Name("div"), .closingBlock),
    (Name("dl"), .closingBlock), (Name("section"), .block), (Name("article"), .block),
    (Name("header"), .block), (Name("footer"), .block), (Name("dt"), .block),
    (Name("dd"), .block), (Name("figure"), .block), (Name("figcaption"), .block),
    (Name("details"), .block), (Name("summary"), .block), (Name("script"), .ignored),
    (Name("style"), .ignored), (Name("area"), .void), (Name("base"), .void),
    (Name("col"), .void), (Name("embed"), .void), (Name("input"), .void), (Name("link"), .void),
    (Name("meta"), .void), (Name("source"), .void), (Name("track"), .void), (Name("wbr"), .void),
  ]

  static func tag(_ name: Name) -> Tag {
    for (candidate, tag) in known where candidate == name { return tag }
    return .other
  }

  /// How an open element renders (decided by its parent's mode when it opens).
  enum Role: Equatable {
    case root
    /// A block element in block mode without a rendering of its own (p, div, li outside a list,
    /// …): its blocks join its container's.
    case flatten
    case blockquote, list, listItem, heading(Int), table, row, cell, pre, hr
    /// An inline element sharing its container's InlineText.
    case inline
    /// `<a>` / `<code>` / `<kbd>`: content laid out in a container of its own.
    case link, code
    case image, lineBreak, rawBreak, raw, ignored
  }

  /// The mode children of an element are handled in.
  enum Mode { case block, inline, raw, list, row, ignore }

  struct Frame {
    var name: Name
    var tag: Tag
    var role: Role
    var mode: Mode
    /// The container this element's content goes to (its own, or its parent's).
    var container: Int
    /// `role == .link`: the decoded href.
    var href: [UInt8]
  }

  /// Rendered blocks (joined) and the InlineText of one block-level element, or the content of a
  /// link/code, a list's lines, a row's cells, a `<pre>`'s raw text.
  struct Container {
    var text: [UInt8] = []
    /// Between blocks: blank line (root, quote, list item), space (heading, cell), LF (table
    /// rows, list lines), ` | ` (row cells).
    var separator: [UInt8] = [0x0A, 0x0A]
    var blocks = 0
    var inline = InlineText()
    /// `<ol>` numbering (the `start` attribute, then +1 per item).
    var number = 1
    /// Link/code content: began with whitespace (nil until the first child decides).
    var leading: Bool? = nil

    mutating func reset(separator: [UInt8]) {
      self.separator = separator
      text.removeAll(keepingCapacity: true)
      blocks = 0
      inline.bytes.removeAll(keepingCapacity: true)
      inline.pendingSpace = false
      number = 1
      leading = nil
    }

    /// Moves the pending inline text into the blocks (nothing when it is empty).
    mutating func flush() {
      if inline.take(appendingTo: &text, after: blocks > 0 ? separator : []) { blocks += 1 }
    }

    /// Appends one block, after the separator unless it is the first.
    mutating func add(block: some Collection<UInt8>) {
      if blocks > 0 { text.append(contentsOf: separator) }
      text.append(contentsOf: block)
      blocks += 1
    }
  }

  var frames: [Frame] = []
  var containers: [Container] = []
  /// Containers in use (the rest are kept for reuse).
  var used = 0
  /// Link/code containers waiting for their first child (to learn whether it starts with space).
  var awaitingFirst: [Int] = []
  var decoded: [UInt8] = []

  /// The text of `html` (UTF-8, XML layer decoded), identical to `HTMLText.renderReference`; nil
  /// when a tag name is longer than 16 bytes or not ASCII (render with the tree then).
  /// - Complexity: O(n · d) for n bytes and nesting depth d (prefixes of nested quotes, lists).
  mutating func render(_ html: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    frames.removeAll(keepingCapacity: true)
    awaitingFirst.removeAll(keepingCapacity: true)
    used = 0
    let root = newContainer(separator: Self.blankLine)
    frames.append(
      Frame(name: Name("#root"), tag: .block, role: .root, mode: .block, container: root, href: []))
    var scanner = TagScanner(bytes: html)
    var textStart = 0
    while let open = scanner.nextOpenBracket() {
      guard let found = scanner.scanRawTag(at: open) else { continue }  // a lone `<` is text
      if open > textStart { text(html, textStart..<open) }
      textStart = scanner.position
      switch found.kind {
      case .comment: break
      case .end:
        guard let name = Name(html, found.name) else { return nil }
        if let index = openIndex(of: name, stoppingAt: nil) { closeThrough(index) }
      case .start:
        guard let name = Name(html, found.name) else { return nil }
        self.open(name, Self.tag(name), scanner: scanner, selfClosing: found.selfClosing)
      }
    }
    if html.count > textStart { text(html, textStart..<html.count) }
    closeThrough(1)
    flush(root)
    return containers[root].text
  }

  // MARK: - Parsing (mirrors HTMLFragment.Builder)

  mutating func open(_ name: Name, _ tag: Tag, scanner: TagScanner, selfClosing: Bool) {
    switch tag {
    case .p, .ul, .ol, .pre, .blockquote, .heading, .hr, .table, .closingBlock:
      if let index = openIndex(of: Name("p"), stoppingAt: nil) { closeThrough(index) }
    default: break
    }
    if tag == .li, let index = openIndex(of: name, stoppingAt: (Name("ul"), Name("ol"))) {
      closeThrough(index)
    }
    let isVoid =
      selfClosing || tag == .br || tag == .hr || tag == .img || tag == .void
    // The element is its parent's newest child: a link/code waiting for its first child learns
    // that the child is an element (and, if it has no children, does not start with space).
    let parent = frames[frames.count - 1]
    var frame = Frame(
      name: name, tag: tag, role: .inline, mode: .inline, container: parent.container, href: [])
    switch parent.mode {
    case .block: openInBlock(&frame, parent: parent, scanner: scanner)
    case .inline: openInline(&frame, scanner: scanner)
    case .raw:
      frame.role = tag == .br ? .rawBreak : .raw
      frame.mode = .raw
    case .list:
      if tag == .li {
        frame.role = .listItem
        frame.mode = .block
        frame.container = newContainer(separator: Self.blankLine)
      } else {
        frame.role = .ignored
        frame.mode = .ignore
      }
    case .row:
      frame.role = .cell
      frame.mode = .block
      frame.container = newContainer(separator: [0x20])
    case .ignore:
      frame.role = .ignored
      frame.mode = .ignore
    }
    frames.append(frame)
    if isVoid { closeThrough(frames.count - 1) }
  }

  /// A child of a block-mode element: block elements flush the pending inline text.
  mutating func openInBlock(_ frame: inout Frame, parent: Frame, scanner: TagScanner) {
    let role: Role
    switch frame.tag {
    case .p, .li, .closingBlock, .block: role = .flatten
    case .pre: role = .pre
    case .hr: role = .hr
    case .blockquote: role = .blockquote
    case .ul, .ol: role = .list
    case .heading(let level): role = .heading(level)
    case .table, .tableGroup: role = .table
    case .tr: role = .row
    default:
      openInline(&frame, scanner: scanner)
      return
    }
    flush(parent.container)
    frame.role = role
    switch role {
    case .flatten:
      frame.mode = .block
    case .pre:
      frame.mode = .raw
      frame.container = newContainer(separator: [])
    case .hr:
      frame.mode = .ignore
    case .list:
      frame.mode = .list
      frame.container = newContainer(separator: [0x0A])
      if frame.tag == .ol { containers[frame.container].number = start(scanner) ?? 1 }
    case .row:
      frame.mode = .row
      frame.container = newContainer(separator: Array(" | ".utf8))
    case .heading:
      frame.mode = .block
      frame.container = newContainer(separator: [0x20])
    case .table:
      frame.mode = .block
      frame.container = newContainer(separator: [0x0A])
    default:
      frame.mode = .block
      frame.container = newContainer(separator: Self.blankLine)
    }
  }

  /// A child of an inline-mode element (or an inline child of a block).
  mutating func openInline(_ frame: inout Frame, scanner: TagScanner) {
    frame.mode = .inline
    switch frame.tag {
    case .br: frame.role = .lineBreak
    case .img: frame.role = .image
    case .ignored:
      frame.role = .ignored
      frame.mode = .ignore
    case .a, .code, .kbd:
      frame.role = frame.tag == .a ? .link : .code
      frame.container = newContainer(separator: [])
      awaitingFirst.append(frame.container)
      if frame.tag == .a { frame.href = attribute("href", scanner) ?? [] }
    default:
      frame.role = .inline
    }
    if frame.role == .image {
      let alt = attribute("alt", scanner) ?? []
      let src = attribute("src", scanner)
      containers[frame.container].inline.image(alt: alt, src: src)
    }
  }

  /// The innermost open element named `name` (stack index ≥ 1), not looking past `barriers`.
  func openIndex(of name: Name, stoppingAt barriers: (Name, Name)?) -> Int? {
    var index = frames.count - 1
    while index > 0 {
      if frames[index].name == name { return index }
      if let barriers, frames[index].name == barriers.0 || frames[index].name == barriers.1 {
        return nil
      }
      index -= 1
    }
    return nil
  }

  mutating func closeThrough(_ index: Int) {
    while frames.count > index { close(frames.removeLast()) }
  }

  // MARK: - Rendering (mirrors HTMLText.renderBlock and InlineText.add)

  mutating func text(_ html: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
    let raw = UnsafeBufferPointer(rebasing: html[range])
    if raw.contains(UInt8(ascii: "&")) {
      decoded.removeAll(keepingCapacity: true)
      HTMLEntities.decode(raw, appendingTo: &decoded)
      decoded.withUnsafeBufferPointer { add(text: $0) }
    } else {
      add(text: raw)
    }
  }

  mutating func add(text: UnsafeBufferPointer<UInt8>) {
    guard let first = text.first else { return }
    for waiting in awaitingFirst { containers[waiting].leading = htmlIsSpace(first) }
    awaitingFirst.removeAll(keepingCapacity: true)
    let frame = frames[frames.count - 1]
    switch frame.mode {
    case .block, .inline: containers[frame.container].inline.add(text: text)
    case .raw: containers[frame.container].text.append(contentsOf: text)
    case .list, .row, .ignore: break
    }
  }

  /// Finishes an element: what the tree renderer does with it as a child of its parent.
  mutating func close(_ frame: Frame) {
    // A closing element ends its subtree: link/code still waiting had no text first.
    for waiting in awaitingFirst where containers[waiting].leading == nil {
      containers[waiting].leading = false
    }
    awaitingFirst.removeAll(keepingCapacity: true)
    let parent = frames[frames.count - 1]
    let own = frame.container
    let target = parent.container
    switch frame.role {
    case .root, .inline, .image, .ignored, .raw:
      break
    case .flatten:
      flush(own)
    case .lineBreak:
      containers[own].inline.lineBreak()
    case .rawBreak:
      containers[own].text.append(0x0A)
    case .hr:
      containers[target].add(block: "---".utf8)
    case .pre:
      let fenced = HTMLText.fence(containers[own].text)
      containers[target].add(block: fenced)
    case .blockquote:
      flush(own)
      let inner = containers[own].text
      if !inner.isEmpty {
        let quoted = HTMLText.prefixLines(inner, first: Array("> ".utf8), rest: Array("> ".utf8))
        containers[target].add(block: quoted)
      }
    case .listItem:
      flush(own)
      let number = containers[target].number
      containers[target].number += 1
      let marker = Array((parent.tag == .ol ? "\(number). " : "- ").utf8)
      let indent = [UInt8](repeating: 0x20, count: marker.count)
      let item = HTMLText.prefixLines(containers[own].text, first: marker, rest: indent)
      containers[target].add(block: item)
    case .heading(let level):
      flush(own)
      let inner = containers[own].text
      if !inner.isEmpty {
        let heading = [UInt8](repeating: UInt8(ascii: "#"), count: level) + [0x20] + inner
        containers[target].add(block: heading)
      }
    case .table, .list, .row:
      // Rows (LF), list lines (LF), cells (` | `); nothing when there are none. Lists and rows
      // take no text, so their flush finds nothing.
      flush(own)
      if containers[own].blocks > 0 {
        let joined = containers[own].text
        containers[target].add(block: joined)
      }
    case .cell:
      flush(own)
      let cell = containers[own].text
      containers[target].add(block: cell)
    case .link, .code:
      let trailing = containers[own].inline.pendingSpace
      let text = containers[own].inline.take() ?? []
      let spaced = (containers[own].leading ?? false, trailing)
      if frame.role == .link {
        containers[target].inline.link(text, href: frame.href, spaced: spaced)
      } else {
        containers[target].inline.code(text, spaced: spaced)
      }
    }
    if own != target { used -= 1 }
  }

  /// Moves the pending inline text of `container` into its blocks.
  mutating func flush(_ container: Int) {
    containers[container].flush()
  }

  static let blankLine: [UInt8] = [0x0A, 0x0A]

  mutating func newContainer(separator: [UInt8]) -> Int {
    if used == containers.count { containers.append(Container()) }
    containers[used].reset(separator: separator)
    used += 1
    return used - 1
  }

  /// The decoded value of the first attribute named `name` (ASCII, lowercase) of the last tag.
  func attribute(_ name: StaticString, _ scanner: TagScanner) -> [UInt8]? {
    let wanted = Name(name)
    guard let found = scanner.attributes.first(where: { Name(scanner.bytes, $0.name) == wanted })
    else { return nil }
    guard let range = found.value else { return [] }
    let raw = UnsafeBufferPointer(rebasing: scanner.bytes[range])
    var out: [UInt8] = []
    HTMLEntities.decode(raw, appendingTo: &out)
    return out
  }

  /// `<ol start="3">` → 3 (as `Int(String)` reads it); nil when absent or not an integer.
  func start(_ scanner: TagScanner) -> Int? {
    attribute("start", scanner).flatMap { Int(String(decoding: $0, as: UTF8.self)) }
  }
}
