// `rmprep validate FILE... (--schema S | --format F)`: checks JSONL, JSON arrays, single JSON
// documents and Posts.xml rows against a JSON Schema (Corpus.SchemaValidation). Every violation
// goes to stdout as `path:line (record n): at '/pointer': keyword: message`; one summary per
// file and a total go to stderr; exit 1 when any record is invalid or unreadable.

import CLISupport
import Corpus

#if canImport(Glibc)
import Glibc
#endif

let validateHelp = """
  OVERVIEW: Check files against our JSON Schemas (draft 2020-12, Schemas/).

  Reads JSONL (blank lines skipped), a JSON array of records, a single JSON document, or a
  Stack Exchange Posts.xml dump (each row as an object of attribute strings), plain, gzip or
  zstd. Each record is valid, invalid (every violation is printed with its line, JSON pointer
  and keyword) or unreadable (bad JSON, with the reason convert would give); the summary
  `in = valid + invalid + unreadable` goes to stderr.

  USAGE: rmprep validate <file>... (--schema <file> | --format <name>) [options]

  ARGUMENTS:
    <file>                  Files to check; '-' reads standard input.

  OPTIONS:
    --schema <file>         The JSON Schema to check against
    --format <name>         Use Schemas/<name>.schema.json (an input format such as hh-rlhf,
                            or an output: record, stats, rejects, …)
    --document              Treat each file as one JSON document (default: records, or a
                            document when the schema's root type is not object)
    --schemas-dir <dir>     Where --format looks (default: $SEQ2SEQRM_SCHEMAS, else the
                            Schemas/ folder of the checkout the tool was built in, else ./Schemas)
    --quiet                 Print only the summaries
    --verdicts              Print one line per record instead of the violations:
                            `<path>\t<record index>\t<valid|invalid|unreadable>`
    -h, --help              Show help information.

  EXIT STATUS: 0 every record valid, 1 a record is invalid or unreadable (or a file cannot be
  read), 64 usage error.

  """

/// Runs `rmprep validate`.
func runValidate(_ arguments: [String]) throws {
  let args = try Arguments(
    arguments, valued: ["schema", "format", "schemas-dir"],
    boolean: ["document", "quiet", "verdicts"])
  if args.flag("help") {
    print(validateHelp, terminator: "")
    return
  }
  let files = args.positionals
  guard !files.isEmpty else { throw UsageError("validate needs at least one file ('-' for stdin)") }
  let schemaPath: String
  switch (args.string("schema"), args.string("format")) {
  case (let path?, nil): schemaPath = path
  case (nil, let format?):
    schemaPath = try SchemaDirectory.path(for: format, directory: args.string("schemas-dir"))
  default: throw UsageError("give exactly one of --schema FILE or --format NAME")
  }
  let schema = try JSONSchema(contentsOf: schemaPath)
  let rootType = schema.root["type"]?.stringValue
  let layout: ValidationLayout =
    args.flag("document") || (rootType != nil && rootType != "object") ? .document : .records
  let validation = SchemaValidation(schema: schema, layout: layout)
  let output = StandardOutput()
  var err = StandardError()
  var total = ValidationCounts()
  let quiet = args.flag("quiet")
  let verdictsOnly = args.flag("verdicts")
  for file in files {
    let counts = try validation.run(path: file) { verdict in
      guard !quiet else { return }
      if verdictsOnly {
        let word =
          verdict.unreadable != nil
          ? "unreadable" : verdict.violations.isEmpty ? "valid" : "invalid"
        try output.write("\(verdict.location.path)\t\(verdict.location.record ?? 0)\t\(word)\n")
        return
      }
      if let rejection = verdict.unreadable {
        let message =
          rejection.detail.hasPrefix(verdict.location.path)
          ? rejection.detail : "\(verdict.location): \(rejection.detail)"
        try output.write("\(message) [\(rejection.reason.rawValue)]\n")
      }
      for violation in verdict.violations {
        try output.write("\(verdict.location): \(violation)\n")
      }
    }
    print(
      "rmprep validate: \(InputLocation.displayName(forPath: file)): \(counts.summary)", to: &err)
    if counts.read == 0 {
      print(
        "rmprep validate: warning: no records in \(InputLocation.displayName(forPath: file))",
        to: &err)
    }
    total.add(counts)
  }
  try output.flush()
  if files.count > 1 { print("rmprep validate: total: \(total.summary)", to: &err) }
  if total.invalidTotal + total.unreadableTotal > 0 {
    throw ValidationFailed(count: total.invalidTotal + total.unreadableTotal)
  }
}

/// Some records failed (exit 1; the details are already printed).
struct ValidationFailed: Error, CustomStringConvertible {
  let count: Int
  var description: String { "\(count) record\(count == 1 ? "" : "s") failed validation" }
}

/// Finds `Schemas/<name>.schema.json`: `--schemas-dir`, else `$SEQ2SEQRM_SCHEMAS`, else the
/// `Schemas/` folder of the checkout the executable was built in (found from `/proc/self/exe`, so
/// it works when the tool is run through PATH from any directory), else `./Schemas`.
enum SchemaDirectory {
  static let remedy =
    "pass --schemas-dir DIR or set SEQ2SEQRM_SCHEMAS to the Schemas/ folder of the Seq2SeqRM"
    + " checkout"

  static func path(for name: String, directory: String?) throws -> String {
    let candidates = try directories(explicit: directory)
    for candidate in candidates {
      let path = candidate + "/" + name + ".schema.json"
      if exists(path) { return path }
    }
    guard let found = candidates.first(where: { !available(in: $0).isEmpty }) else {
      throw UsageError(
        "no Schemas directory found (looked in \(candidates.joined(separator: ", "))); \(remedy)")
    }
    throw UsageError(
      "no schema for format '\(name)' in \(found); known: "
        + available(in: found).joined(separator: ", "))
  }

  static func directories(explicit: String?) throws -> [String] {
    if let explicit { return [explicit] }
    if let environment = getenv("SEQ2SEQRM_SCHEMAS") { return [String(cString: environment)] }
    var found: [String] = []
    // The checkout this tool was built in: walk up from the executable (.build/<triple>/debug).
    var directory = parent(of: executablePath())
    for _ in 0..<5 {
      let schemas = (directory == "/" ? "" : directory) + "/Schemas"
      if exists(schemas + "/record.schema.json") {
        found.append(schemas)
        break
      }
      directory = parent(of: directory)
    }
    found.append(currentDirectory() + "/Schemas")
    return found
  }

  /// The running executable with symlinks resolved (`argv[0]` is only a name when run via PATH).
  static func executablePath() -> String {
    for candidate in ["/proc/self/exe", CommandLine.arguments[0]] {
      if let resolved = realpath(candidate, nil) {
        defer { free(resolved) }
        return String(cString: resolved)
      }
    }
    return CommandLine.arguments[0]
  }

  /// `path` without its last component (`/a/b` → `/a`, `/a` → `/`, `b` → `.`).
  static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  static func currentDirectory() -> String {
    guard let cwd = getcwd(nil, 0) else { return "." }
    defer { free(cwd) }
    return String(cString: cwd)
  }

  static func available(in directory: String) -> [String] {
    guard let dir = opendir(directory) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name.hasSuffix(".schema.json") {
        names.append(String(name.dropLast(".schema.json".count)))
      }
    }
    return names.sorted()
  }
}
