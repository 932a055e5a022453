// The main wrapper every executable uses: dispatches a subcommand, prints errors as
// `tool: error: <description>` on stderr and maps them to exit statuses (ExitStatus.swift).

#if canImport(Glibc)
import Glibc
#endif

/// One subcommand of a tool: its name, one-line summary and entry point.
public struct Subcommand: Sendable {
  /// The word after the tool name (`convert`).
  public let name: String
  /// One line for the tool's overview help.
  public let summary: String
  /// Runs the subcommand with the arguments after its name.
  public let run: @Sendable ([String]) throws -> Void

  /// Creates a subcommand entry.
  public init(_ name: String, _ summary: String, run: @escaping @Sendable ([String]) throws -> Void)
  {
    self.name = name
    self.summary = summary
    self.run = run
  }
}

/// A tool: name, version, overview and its subcommands.
public struct Tool: Sendable {
  public let name: String
  public let version: String
  public let overview: String
  public let subcommands: [Subcommand]

  /// Creates a tool description.
  public init(name: String, version: String, overview: String, subcommands: [Subcommand]) {
    self.name = name
    self.version = version
    self.overview = overview
    self.subcommands = subcommands
  }

  /// The tool's own `--help` text (lists subcommands).
  public var help: String {
    let width = (subcommands.map(\.name.count).max() ?? 0) + 2
    var text = "OVERVIEW: \(overview)\n\nUSAGE: \(name) <subcommand> [options]\n\nSUBCOMMANDS:\n"
    for sub in subcommands {
      text +=
        "  " + sub.name + String(repeating: " ", count: width - sub.name.count) + sub.summary + "\n"
    }
    text +=
      "\nOPTIONS:\n  -h, --help    Show help information.\n  --version     Show the version.\n"
    text += "\n  See '\(name) <subcommand> --help' for a subcommand's options.\n"
    text += "\nEXIT STATUS: 0 success, 1 failure, 64 usage error, 130 interrupted.\n"
    return text
  }

  /// Parses `CommandLine.arguments`, runs the subcommand and exits with the right status.
  public func main(_ arguments: [String] = CommandLine.arguments) -> Never {
    Cancellation.install()
    let args = Array(arguments.dropFirst())
    guard let first = args.first else {
      printUsageError("missing subcommand")
    }
    if first == "--help" || first == "-h" || first == "help" {
      print(help, terminator: "")
      exit(ExitStatus.success.rawValue)
    }
    if first == "--version" {
      print("\(name) \(version)")
      exit(ExitStatus.success.rawValue)
    }
    guard let sub = subcommands.first(where: { $0.name == first }) else {
      printUsageError("unknown subcommand '\(first)'")
    }
    let options = args.dropFirst().prefix { $0 != "--" }
    if options.contains("--version") && !options.contains("--help") && !options.contains("-h") {
      print("\(name) \(version)")
      exit(ExitStatus.success.rawValue)
    }
    exit(Self.run(toolName: name) { try sub.run(Array(args.dropFirst())) }.rawValue)
  }

  private func printUsageError(_ message: String) -> Never {
    var err = StandardError()
    err.write("\(name): error: \(message)\nSee '\(name) --help'.\n")
    exit(ExitStatus.usage.rawValue)
  }

  /// Runs `body`, printing any error and returning the exit status (usable from tests).
  public static func run(toolName: String, _ body: () throws -> Void) -> ExitStatus {
    let outcome: Result<Void, Error> = Result { try body() }
    do {
      var err = StandardError()
      switch outcome {
      case .success:
        return Cancellation.isRequested ? .interrupted : .success
      case .failure(let error as UsageError):
        err.write("\(toolName): error: \(error.message)\nSee '\(toolName) --help'.\n")
        return .usage
      case .failure(is OutputClosed):
        return .success
      case .failure(let error as Interrupted):
        err.write("\(toolName): interrupted\(error.detail)\n")
        return .interrupted
      case .failure(let error):
        err.write("\(toolName): error: \(error)\n")
        return Cancellation.isRequested ? .interrupted : .failure
      }
    }
  }
}
