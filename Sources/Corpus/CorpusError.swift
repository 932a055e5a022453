// Every way reading a corpus can fail, one case per distinct remedy (STYLE.md D5).
// Libraries throw these; only the executables print them (`rmprep: error: <description>`).

#if canImport(Glibc)
import Glibc
#endif

/// An error raised while reading, decoding or writing corpus data.
public enum CorpusError: Error, Equatable, CustomStringConvertible {
  /// A file could not be opened (`errno` from `open(2)`).
  case cannotOpen(path: String, errno: Int32)
  /// An output file could not be created (`errno` from `open(2)`; EISDIR when it is a directory).
  case cannotCreate(path: String, errno: Int32)
  /// Reading failed after the file was opened.
  case readFailed(path: String, errno: Int32)
  /// Writing an output failed (full disk, permissions, …); the partial output was removed.
  case writeFailed(path: String, errno: Int32)
  /// A gzip or zstd stream is truncated or corrupt at the given (compressed) byte offset.
  case corruptCompressedStream(InputLocation, codec: String, detail: String)
  /// The file is a Git LFS pointer, not the data it points to.
  case gitLFSPointer(path: String)
  /// JSON text is not valid RFC 8259 JSON.
  case malformedJSON(InputLocation, detail: String)
  /// A record lacks a field its format requires.
  case missingField(InputLocation, field: String)
  /// A record is well-formed JSON but does not have the shape its format requires.
  case malformedRecord(InputLocation, detail: String)
  /// The input format could not be recognised or is unknown.
  case unknownFormat(path: String, detail: String)
  /// The container is recognised but not read by this tool (xz, 7z): decompress it first.
  case unsupportedContainer(path: String, container: String)
  /// The document as a whole is malformed (an unterminated JSON array, bytes after it).
  case malformedDocument(InputLocation, detail: String)
  /// An XML document is not well-formed (libxml2's reason; the location has line and column).
  /// `recovering`: `--xml-recover` was given but could not cut the broken row out.
  case malformedXML(InputLocation, reason: String, recovering: Bool = false)
  /// An XML document ends early (a cut-off download): `detail` says where, for example
  /// `inside the <row> that starts on line 4`; the location is the end of the content.
  /// `recovering` as in `malformedXML`.
  case truncatedXML(InputLocation, detail: String, recovering: Bool = false)
  /// A JSON Schema cannot be used: not a schema, an unresolvable `$ref`, a bad `pattern`, or a
  /// keyword this validator does not support (`pointer` is the JSON pointer inside the schema).
  case invalidSchema(path: String, pointer: String, detail: String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let code):
      if code == EISDIR {
        return "\(path): cannot open: Is a directory; pass the files in it (e.g. '\(path)/*.jsonl')"
      }
      return "\(path): cannot open: \(Self.message(for: code))"
    case .cannotCreate(let path, let code):
      if code == EISDIR {
        return "\(path): is a directory, but the output must be a file; give a file name"
          + " (e.g. '\(path)/out.jsonl')"
      }
      if code == ENOENT {
        return "\(path): cannot create: its directory does not exist; create it first or choose"
          + " another output path"
      }
      return "\(path): cannot create: \(Self.message(for: code))"
    case .readFailed(let path, let code):
      return "\(path): read failed: \(Self.message(for: code))"
    case .writeFailed(let path, let code):
      return "\(path): write failed: \(Self.message(for: code)); no partial output was left"
    case .corruptCompressedStream(let at, let codec, let detail):
      return "\(at): corrupt or truncated \(codec) stream: \(detail)"
    case .gitLFSPointer(let path):
      return
        "\(path): this is a Git LFS pointer file, not the data; run 'git lfs pull' to fetch the real file"
    case .malformedJSON(let at, let detail):
      return "\(at): invalid JSON: \(detail)"
    case .missingField(let at, let field):
      return "\(at): missing field '\(field)'"
    case .malformedRecord(let at, let detail):
      return "\(at): malformed record: \(detail)"
    case .unknownFormat(let path, let detail):
      return "\(path): unknown format: \(detail)"
    case .unsupportedContainer(let path, let container):
      if container == Container.utf16.rawValue {
        return
          "\(path): UTF-16/UTF-32 text (byte-order mark at byte 0); JSON and XML input must be UTF-8: "
          + "convert with 'iconv -f UTF-16 -t UTF-8' first"
      }
      let tool = container == "xz" ? "xz -d" : "7z x"
      return "\(path): \(container) files are not read directly; decompress with '\(tool)' first"
    case .malformedDocument(let at, let detail):
      return "\(at): malformed document: \(detail)"
    case .malformedXML(let at, let reason, let recovering):
      let advice =
        recovering
        ? "--xml-recover could not cut the broken row out; fix the file"
        : "fix the file or pass --xml-recover to skip the broken row"
      return "\(at): XML is not well-formed: \(reason); \(advice)"
    case .truncatedXML(let at, let detail, let recovering):
      let advice = recovering ? "" : ", or pass --xml-recover to keep the rows before the cut"
      return "\(at): \(Self.truncationMessage(detail))\(advice)"
    case .invalidSchema(let path, let pointer, let detail):
      return "\(path): schema unusable at '\(pointer)': \(detail)"
    }
  }

  /// What `truncatedXML` says after the location, also the text of the rejection
  /// `--xml-recover` counts for the cut: `detail` says where the file ends.
  public static func truncationMessage(_ detail: String) -> String {
    "the file ends early, \(detail): truncated download? check its size against the dump's listing"
  }

  /// `strerror` text for an errno value.
  public static func message(for code: Int32) -> String {
    String(cString: strerror(code))
  }
}
