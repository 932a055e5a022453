// PreferenceRecord+JSONL.swift — the output lines of `rmprep convert`: one compact JSON object per
// record, keys in schema order (id, source, prompt, chosen, rejected, meta), then "\n"; and the lines
// of the `--rejects` file. Written straight into a byte buffer (no JSONValue tree per record).

extension PreferenceRecord {
  /// Appends the record's JSONL line (with the trailing newline) to `out`.
  /// Same bytes as `JSONWriter.write(jsonValue)` + "\n" (tested).
  public func appendJSONLine(to out: inout [UInt8]) {
    out.append(contentsOf: #"{"id":"#.utf8)
    JSONWriter.writeString(id, into: &out)
    out.append(contentsOf: #","source":"#.utf8)
    JSONWriter.writeString(source, into: &out)
    out.append(contentsOf: #","prompt":"#.utf8)
    JSONWriter.writeString(prompt, into: &out)
    out.append(contentsOf: #","chosen":"#.utf8)
    JSONWriter.writeString(chosen, into: &out)
    out.append(contentsOf: #","rejected":"#.utf8)
    JSONWriter.writeString(rejected, into: &out)
    out.append(contentsOf: #","meta":"#.utf8)
    JSONWriter.write(meta, into: &out)
    out.append(contentsOf: "}\n".utf8)
  }
}

extension RejectedRecord {
  /// The rejects-file line: `{"source","reason","error","raw"}` + "\n"; when the raw bytes are not
  /// valid UTF-8, `raw_base64` holds them instead of `raw`, so nothing is altered.
  public var jsonLine: [UInt8] {
    var members: [(key: String, value: JSONValue)] = [
      (key: "source", value: .string(source)),
      (key: "reason", value: .string(reason.rawValue)),
      (key: "error", value: .string(message)),
    ]
    if let text = String(validating: raw, as: UTF8.self) {
      members.append((key: "raw", value: .string(text)))
    } else {
      members.append((key: "raw_base64", value: .string(Base64.encode(raw))))
    }
    var out = JSONWriter.bytes(.object(members))
    out.append(0x0A)
    return out
  }
}

/// RFC 4648 base64 (standard alphabet, padded), for raw bytes in JSON.
enum Base64 {
  static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i < bytes.count {
      let b0 = UInt32(bytes[i])
      let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
      let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
      let n = b0 << 16 | b1 << 8 | b2
      out.append(alphabet[Int(n >> 18 & 63)])
      out.append(alphabet[Int(n >> 12 & 63)])
      out.append(i + 1 < bytes.count ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
      out.append(i + 2 < bytes.count ? alphabet[Int(n & 63)] : UInt8(ascii: "="))
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }
}
