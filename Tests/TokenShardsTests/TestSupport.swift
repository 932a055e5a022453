// Test helpers: a byte-level test tokenizer (specials 0–4, byte b → id b + 5, vocabulary 261) and
// fresh temporary directories (never the working directory).

import Corpus
import Foundation
import TokenShards

/// A tokenizer whose ids are predictable by hand: `<|pad|>`…`<|sep_corr|>` = 0…4, byte b = b + 5.
struct ByteTestTokenizer: TargetTokenizer {
  var vocabularySize: Int = 261
  var specialIDs = SpecialIDs(pad: 0, bos: 1, eos: 2, sepResp: 3, sepCorr: 4)
  var fileBytes: [UInt8] = Array(#"{"test":"byte tokenizer"}"#.utf8)
  var fileSHA256: String { sha256Hex(fileBytes) }

  func encodeOrdinary(_ text: String) -> [UInt32] { text.utf8.map { UInt32($0) + 5 } }

  func decodeForDisplay(_ ids: [UInt32]) -> String {
    let names = ["<|pad|>", "<|bos|>", "<|eos|>", "<|sep_resp|>", "<|sep_corr|>"]
    var out = ""
    var bytes: [UInt8] = []
    for id in ids {
      if id < 5 {
        out += String(decoding: bytes, as: UTF8.self) + names[Int(id)]
        bytes = []
      } else {
        bytes.append(UInt8(id - 5))
      }
    }
    return out + String(decoding: bytes, as: UTF8.self)
  }
}

func sha256Hex(_ bytes: [UInt8]) -> String {
  var h = Corpus.SHA256()
  h.update(bytes)
  return h.finalize().hex
}

/// A new empty directory under the system temp directory.
func temporaryDirectory(_ name: String = #function) -> String {
  let base = FileManager.default.temporaryDirectory.appendingPathComponent(
    "tokenshards-tests-\(getpid())-\(UUID().uuidString.prefix(8))-"
      + name.filter { $0.isLetter || $0.isNumber })
  try? FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
  return base.path
}

/// Removes a test directory and everything in it.
func removeDirectory(_ path: String) {
  try? FileManager.default.removeItem(atPath: path)
}

func readFile(_ path: String) -> [UInt8] {
  (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
  try! Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Parses "05 00 06 00" style hex.
func bytesFromHex(_ text: String) -> [UInt8] {
  text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { UInt8($0, radix: 16)! }
}
