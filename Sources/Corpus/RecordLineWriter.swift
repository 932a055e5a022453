// RecordLineWriter.swift — the byte-level fast path of `rmprep convert` without a tokenizer: for
// hh-rlhf and trl-standard records that FlatRecordScanner accepts, it applies the adapter's rule
// and the common drops on decoded bytes and writes the output line directly (id, source, escaped
// texts, `meta` copied from the raw members) — no String, no JSONValue. Output bytes equal the
// general path's (`PreferenceRecord.appendJSONLine`), which stays the reference (tested on every
// fixture and the real corpora). A record it cannot take returns `nil` and goes the general way.
//
// Performance notes (2026-12-03, 2-core AMD EPYC, 100 MB generated TRL JSONL, release): the general
// path spent its time building Strings (stdlib UTF-8 validation, malloc, copies) and JSONValue trees;
// this path touches each byte about three times (scan+validate, escape-out, hash).
// 2026-12-04: records are written in batches. Each written record's line goes to `pending` with
// its id left blank and its canonical content to a SHA256Batch; `flush` hashes the batch two
// messages at a time (SHA256Batch.swift: ~1.5× the single-stream SHA-NI speed), fills in the ids
// and hands over all the lines at once (one large write, no per-line copy into the file buffer).

/// What the fast path did with a record.
enum FastOutcome {
  /// The record was written (its line is in `line`).
  case written
  /// Dropped for a reason (counted by the pipeline).
  case dropped(DropReason)
}

/// Which adapter rule the fast path applies.
enum FastRule {
  /// `HHRLHFAdapter`: prompt = common prefix up to the last shared "\n\nAssistant:".
  case hhRLHF
  /// `TRLAdapter` with an explicit string prompt.
  case trlStandard
}

/// Converts scanned flat records to output lines, in batches (reusing its buffers).
struct RecordLineWriter {
  private var scanner = FlatRecordScanner()
  private var prompt: [UInt8] = []
  private var chosen: [UInt8] = []
  private var rejected: [UInt8] = []
  /// The output lines of the records written since the last `flush`, with blank ids.
  private var line: [UInt8] = []
  /// Where each pending line's 16 id digits go in `line`.
  private var idOffsets: [Int] = []
  /// The pending records' canonical contents (RecordID.swift), hashed in `flush`.
  private var ids = SHA256Batch()

  /// Bytes of output waiting for `flush`.
  var pendingBytes: Int { line.count }

  /// Hashes the pending records, fills in their ids and passes their lines to `write` (one call,
  /// in order); then forgets them. Does nothing when nothing is pending.
  mutating func flush(_ write: (UnsafeRawBufferPointer) throws -> Void) rethrows {
    guard !idOffsets.isEmpty else { return }
    ids.computeDigests()
    let hex: StaticString = "0123456789abcdef"
    line.withUnsafeMutableBytes { out in
      for (k, offset) in idOffsets.enumerated() {
        let id = ids.digestPrefix(k)
        for d in 0..<16 {
          out[offset + d] = hex.utf8Start[Int((id >> UInt64(60 - 4 * d)) & 0xF)]
        }
      }
    }
    try line.withUnsafeBytes { try write($0) }
    line.removeAll(keepingCapacity: true)
    idOffsets.removeAll(keepingCapacity: true)
    ids.removeAll()
  }

  /// Applies `rule` to `raw` (one JSONL line); nil when the record needs the general path.
  /// A `.written` record's line is pending until `flush`.
  ///
  /// `sourceName` is the input's display name already escaped for JSON (without quotes); the record's
  /// source is `sourceName:line`.
  mutating func convert(
    _ raw: UnsafeRawBufferPointer, rule: FastRule, sourceName: [UInt8], line lineNumber: Int
  ) -> FastOutcome? {
    guard scanner.scan(raw), let base = raw.baseAddress else { return nil }
    guard let c = scanner.field("chosen", in: raw), c.isString,
      let r = scanner.field("rejected", in: raw), r.isString
    else { return nil }
    switch rule {
    case .trlStandard:
      // Texts stay in the line: canonical escapes make the raw bytes the output bytes, raw equality
      // is decoded equality, and the hash is fed the decoded runs directly.
      guard let p = scanner.field("prompt", in: raw), p.isString else { return nil }
      if FlatRecordScanner.isBlankRaw(base, c.valueStart, c.valueEnd)
        || FlatRecordScanner.isBlankRaw(base, r.valueStart, r.valueEnd)
      {
        return .dropped(.emptyResponse)
      }
      if FlatRecordScanner.equal(base, c.valueStart, c.valueEnd, r.valueStart, r.valueEnd) {
        return .dropped(.identicalPair)
      }
      appendCanonical(p, base)
      appendCanonical(c, base)
      appendCanonical(r, base)
      ids.endMessage()
      writeHead(sourceName: sourceName, line: lineNumber)
      appendKey("prompt")
      line.appendBytes(base + p.valueStart, count: p.valueEnd - p.valueStart)
      appendKey("chosen")
      line.appendBytes(base + c.valueStart, count: c.valueEnd - c.valueStart)
      appendKey("rejected")
      line.appendBytes(base + r.valueStart, count: r.valueEnd - r.valueStart)
      writeMeta(raw: raw, rule: rule)
      return .written
    case .hhRLHF:
      var whole: [UInt8] = []
      var other: [UInt8] = []
      load(c, base, into: &whole)
      load(r, base, into: &other)
      guard let cut = HHRLHFAdapter.promptLength(chosen: whole, rejected: other) else {
        return .dropped(.noCommonPrompt)
      }
      prompt = Array(whole[..<cut])
      chosen = Array(whole[cut...])
      rejected = Array(other[cut...])
    }
    if Self.isBlank(chosen) || Self.isBlank(rejected) { return .dropped(.emptyResponse) }
    if chosen == rejected { return .dropped(.identicalPair) }
    writeLine(raw: raw, sourceName: sourceName, line: lineNumber, rule: rule)
    return .written
  }

  /// Appends a string field to the current id message: its decoded length (u64 LE), its decoded bytes.
  private mutating func appendCanonical(_ field: FlatField, _ base: UnsafeRawPointer) {
    ids.appendLittleEndian(UInt64(field.decodedLength))
    if field.hasEscapes {
      ids.appendInPlace {
        FlatRecordScanner.decode(base, field.valueStart, field.valueEnd, into: &$0)
      }
    } else {  // the raw bytes between the quotes are the decoded bytes: no search for `\`
      ids.append(
        UnsafeRawBufferPointer(
          start: base + field.valueStart + 1, count: field.valueEnd - field.valueStart - 2))
    }
  }

  /// Decoded bytes of a string field.
  private func load(_ field: FlatField, _ base: UnsafeRawPointer, into out: inout [UInt8]) {
    out.removeAll(keepingCapacity: true)
    if field.hasEscapes {
      FlatRecordScanner.decode(base, field.valueStart, field.valueEnd, into: &out)
    } else {
      out.append(
        contentsOf: UnsafeRawBufferPointer(
          start: base + field.valueStart + 1, count: field.valueEnd - field.valueStart - 2))
    }
  }

  /// Whether decoded text (valid UTF-8) is empty or White_Space only, as `RecordPipeline.isBlank`.
  static func isBlank(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      var i = 0
      while i < raw.count {
        guard
          let length = FlatRecordScanner.whitespaceScalarLength(raw.baseAddress! + i, raw.count - i)
        else { return false }
        i += length
      }
      return true
    }
  }

  private mutating func writeLine(
    raw: UnsafeRawBufferPointer, sourceName: [UInt8], line lineNumber: Int, rule: FastRule
  ) {
    for field in [prompt, chosen, rejected] {
      ids.appendLittleEndian(UInt64(field.count))
      field.withUnsafeBytes { ids.append($0) }
    }
    ids.endMessage()
    writeHead(sourceName: sourceName, line: lineNumber)
    appendKey("prompt")
    prompt.withUnsafeBufferPointer { JSONWriter.writeString(bytes: $0, into: &line) }
    appendKey("chosen")
    chosen.withUnsafeBufferPointer { JSONWriter.writeString(bytes: $0, into: &line) }
    appendKey("rejected")
    rejected.withUnsafeBufferPointer { JSONWriter.writeString(bytes: $0, into: &line) }
    writeMeta(raw: raw, rule: rule)
  }

  /// `{"id":"<16 blanks, filled by flush>","source":"<name>:<line>"` (a new pending line).
  private mutating func writeHead(sourceName: [UInt8], line lineNumber: Int) {
    line.appendBytes(#"{"id":""#)
    idOffsets.append(line.count)
    line.appendBytes("0000000000000000")
    line.appendBytes(#"","source":""#)
    line.append(contentsOf: sourceName)
    line.append(UInt8(ascii: ":"))
    // Decimal digits without a String: written right to left into 24 stack bytes (any Int fits).
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &digits) { buffer in
      var n = lineNumber.magnitude
      var k = buffer.count
      repeat {
        k -= 1
        buffer[k] = UInt8(ascii: "0") + UInt8(n % 10)
        n /= 10
      } while n > 0
      line.appendBytes(buffer.baseAddress! + k, count: buffer.count - k)
    }
    line.append(UInt8(ascii: "\""))
  }

  /// True when `key` is a member the rule turns into text (not copied to `meta`).
  private static func isConsumed(_ key: UnsafeRawBufferPointer, rule: FastRule) -> Bool {
    func equals(_ name: StaticString) -> Bool {
      name.utf8CodeUnitCount == key.count
        && memcmp(name.utf8Start, key.baseAddress!, key.count) == 0
    }
    if equals("chosen") || equals("rejected") { return true }
    return rule == .trlStandard && equals("prompt")
  }

  /// `,"name":`
  private mutating func appendKey(_ name: StaticString) {
    line.appendBytes(#",""#)
    line.append(
      contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    line.appendBytes(#"":"#)
  }

  /// `,"meta":{…}}` + newline, from the raw members not consumed.
  private mutating func writeMeta(raw: UnsafeRawBufferPointer, rule: FastRule) {
    line.appendBytes(#","meta":{"#)
    var first = true
    for field in scanner.fields {
      let key = UnsafeRawBufferPointer(
        start: raw.baseAddress! + field.keyStart, count: field.keyEnd - field.keyStart)
      if Self.isConsumed(key, rule: rule) { continue }
      if !first { line.append(UInt8(ascii: ",")) }
      first = false
      // Keys have no escapes and strings only canonical ones, so the raw bytes are the output bytes.
      line.append(
        contentsOf: UnsafeRawBufferPointer(rebasing: raw[(field.keyStart - 1)...field.keyEnd]))
      line.append(UInt8(ascii: ":"))
      line.append(
        contentsOf: UnsafeRawBufferPointer(rebasing: raw[field.valueStart..<field.valueEnd]))
    }
    line.appendBytes("}}\n")
  }
}

#if canImport(Glibc)
import Glibc
#endif
