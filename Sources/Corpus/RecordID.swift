// Record ids and the train/validation split (DESIGN.md "Record ids and the split").
// Canonical content = for each of prompt, chosen, rejected in that order: its UTF-8 byte length as a
// little-endian UInt64, then its UTF-8 bytes. The id is the first 16 hex digits of its sha256, so it is
// unambiguous (no separator can be forged by the text) and independent of file, line and shard count.

/// Content-derived record ids and the split rule every target kind shares.
public enum RecordID {
  /// The id of a (prompt, chosen, rejected) triple: 16 lowercase hex digits.
  ///
  ///     RecordID.make(prompt: "", chosen: "", rejected: "")   // sha256 of 24 zero bytes, first 16 hex
  public static func make(prompt: String, chosen: String, rejected: String) -> String {
    var hasher = SHA256()
    for var field in [prompt, chosen, rejected] {
      field.withUTF8 { bytes in
        var length = UInt64(bytes.count).littleEndian
        withUnsafeBytes(of: &length) { hasher.update($0) }
        hasher.update(UnsafeRawBufferPointer(bytes))
      }
    }
    return String(hasher.finalize().hex.prefix(16))
  }

  /// True when the record with this id belongs to the validation split: the id, read as a 64-bit
  /// unsigned integer u (it is already a hash), satisfies u / 2^64 < fraction.
  /// fraction 0 puts nothing in validation; fraction 1 puts everything there.
  public static func isValidation(id: String, fraction: Double) -> Bool {
    guard let u = UInt64(id.prefix(16), radix: 16) else { return false }
    return Double(u) / 18_446_744_073_709_551_616.0 < fraction
  }
}
