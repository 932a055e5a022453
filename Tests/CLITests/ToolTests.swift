// End-to-end runs of the built executables (STYLE.md C2.15): help on stdout with exit 0, usage errors
// on stderr with exit 64, --version. Later stages add their own CLI test files beside this one.

import Foundation
import Testing

/// A built tool's executable, found next to the test bundle.
func toolExecutable(_ tool: String) -> URL {
  let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let executable = bundleDirectory.appendingPathComponent(tool)
  if FileManager.default.fileExists(atPath: executable.path) { return executable }
  return bundleDirectory.deletingLastPathComponent().appendingPathComponent(tool)
}

/// Runs a built tool (found next to the test bundle) and returns status, stdout and stderr.
func runTool(_ tool: String, _ arguments: [String], stdin: Data? = nil) throws -> (
  status: Int32, stdout: String, stderr: String
) {
  let process = Process()
  process.executableURL = toolExecutable(tool)
  process.arguments = arguments
  let out = Pipe()
  let err = Pipe()
  let input = Pipe()
  process.standardOutput = out
  process.standardError = err
  process.standardInput = input
  try process.run()
  if let stdin { input.fileHandleForWriting.write(stdin) }
  try input.fileHandleForWriting.close()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (
    process.terminationStatus, String(decoding: outData, as: UTF8.self),
    String(decoding: errData, as: UTF8.self)
  )
}

@Suite struct ToolTests {
  @Test(arguments: ["rmprep", "rmtrain", "rmppo"])
  func helpGoesToStdoutWithStatusZero(tool: String) throws {
    let r = try runTool(tool, ["--help"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("OVERVIEW: "))
    #expect(r.stdout.contains("EXIT STATUS:"))
    #expect(r.stderr.isEmpty)
  }

  @Test(arguments: ["rmprep", "rmtrain", "rmppo"])
  func versionPrintsTheToolkitVersion(tool: String) throws {
    let r = try runTool(tool, ["--version"])
    #expect(r.status == 0)
    #expect(r.stdout == "\(tool) 0.1.0\n")
  }

  @Test(arguments: ["rmprep", "rmtrain", "rmppo"])
  func unknownSubcommandIsAUsageError(tool: String) throws {
    let r = try runTool(tool, ["frobnicate"])
    #expect(r.status == 64)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr == "\(tool): error: unknown subcommand 'frobnicate'\nSee '\(tool) --help'.\n")
  }
}
