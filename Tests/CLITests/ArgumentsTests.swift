// The argument parser (STYLE.md D11): every accepted form, and a usage error for everything unknown.

import CLISupport
import Testing

@Suite struct ArgumentsTests {
  @Test func parsesLongShortInlineAndPositionals() throws {
    let a = try Arguments(
      [
        "in.jsonl", "--vocab-size", "512", "-o", "-", "--format=trl", "--progress", "--", "--weird",
      ],
      valued: ["vocab-size", "out", "format"], boolean: ["progress"])
    #expect(a.positionals == ["in.jsonl", "--weird"])
    #expect(try a.value("vocab-size", default: 8) == 512)
    #expect(a.string("out") == "-")
    #expect(a.string("format") == "trl")
    #expect(a.flag("progress"))
    #expect(!a.flag("help"))
  }

  @Test func repeatedOptionsKeepEveryValue() throws {
    let a = try Arguments(
      ["--special-tokens", "<a>", "--special-tokens", "<b>"], valued: ["special-tokens"])
    #expect(a.values("special-tokens") == ["<a>", "<b>"])
  }

  @Test func unknownOptionMissingValueAndBadNumberAreUsageErrors() throws {
    #expect(throws: UsageError("unknown option '--nope'")) { try Arguments(["--nope"], valued: []) }
    #expect(throws: UsageError("unknown option '-x'")) { try Arguments(["-x"], valued: []) }
    #expect(throws: UsageError("option '--out' needs a value")) {
      try Arguments(["-o"], valued: ["out"])
    }
    let a = try Arguments(["--n", "ten"], valued: ["n"])
    #expect(throws: UsageError("invalid value 'ten' for '--n': expected an integer")) {
      try a.value("n", default: 1)
    }
    #expect(throws: UsageError("missing required option '--m'")) { try a.required("m") }
  }
}
