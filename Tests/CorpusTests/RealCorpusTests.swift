// Real data from ../shared/corpora (skipped with a message when absent): HH-RLHF harmless-base test
// (2,312 records, all accounted for, odd rows split right), both LLaMA-Factory demo files, and the
// dolma container fixtures including the plain file named `.jsonl.zst`.

import Corpus
import Testing

@Suite struct RealCorpusTests {
  func run(_ path: String, format: String, options: [String: String] = [:]) throws -> Conversion {
    try convert(try readBytes(path), name: path, format: format, options: options)
  }

  @Test func hhRLHFHarmlessBaseTestIsFullyAccounted() throws {
    guard let path = sharedCorpus("hh-rlhf/harmless-base/test.jsonl.gz") else {
      print("skip: ../shared/corpora not found (tests read it from <package root>/../shared)")
      return
    }
    let result = try run(path, format: "hh-rlhf")
    let totals = result.accounting
    #expect(totals.read == 2312)
    #expect(totals.isBalanced)
    #expect(totals.rejectedTotal == 0)
    // The 4 chosen transcripts with an empty final reply are the only drops.
    #expect(totals.dropped == [.emptyResponse: 4])
    #expect(totals.written == 2308)
    let marker = "\n\nAssistant:"
    for record in try records(result) {
      let prompt = record["prompt"]!.stringValue!
      let chosen = record["chosen"]!.stringValue!
      let rejected = record["rejected"]!.stringValue!
      #expect(prompt.hasPrefix("\n\nHuman: "))
      #expect(prompt.hasSuffix(marker))
      // Responses keep their leading space (or start a new turn for diverging rows) — never a
      // cut inside a turn: the text right after the prompt is where a reply begins.
      #expect(chosen.hasPrefix(" ") && rejected.hasPrefix(" "))
    }
  }

  @Test func hhRLHFRowsDivergingBeforeTheLastTurnGetMultiTurnResponses() throws {
    guard let path = sharedCorpus("hh-rlhf/harmless-base/test.jsonl.gz") else { return }
    let out = try records(try run(path, format: "hh-rlhf"))
    let multiTurn = out.filter {
      $0["chosen"]!.stringValue!.contains("\n\nAssistant:")
        || $0["rejected"]!.stringValue!.contains("\n\nAssistant:")
    }
    // FORMATS.md §1: 5 rows diverge before the final "\n\nAssistant:".
    #expect(multiTurn.count == 5)
    for record in multiTurn {
      #expect(record["prompt"]!.stringValue!.hasSuffix("\n\nAssistant:"))
    }
  }

  @Test func llamaFactoryDemoFilesConvert() throws {
    guard let array = sharedCorpus("llama-factory-demo/dpo_en_demo.json"),
      let lines = sharedCorpus("llama-factory-demo/v1_dpo_demo.jsonl")
    else { return }
    let a = try run(array, format: "auto")
    #expect(a.accounting.read == 300)
    #expect(a.accounting.written + a.accounting.droppedTotal == 300)
    #expect(a.accounting.rejectedTotal == 0)
    let b = try run(lines, format: "sharegpt-dpo")
    #expect(b.accounting.written == 10)
    let first = try records(b)[0]
    #expect(first["prompt"]!.stringValue!.hasPrefix("\n\nSystem: "))
    #expect(first["prompt"]!.stringValue!.hasSuffix("\n\nAssistant:"))
  }

  @Test func dolmaContainerFixturesConvertIncludingThePlainFileNamedZst() throws {
    guard let base = sharedCorpus("dolma-test-formats") else { return }
    for name in ["test.jsonl", "test.jsonl.gz", "test.jsonl.zst"] {
      let result = try run(
        "\(base)/\(name)", format: "generic", options: ["map": "chosen=message,rejected=message"])
      // One record `{"message": "this is a test"}` without a trailing newline, in every codec.
      #expect(result.accounting.read == 1)
      #expect(result.accounting.dropped == [.identicalPair: 1])
    }
    let ccMain = "\(base)/zst/CC-MAIN-20190717121559-20190717143559-00140.jsonl.zst"
    let opened = try InputOpener.open(path: ccMain)
    #expect(opened.container == .plain)
    let result = try run(ccMain, format: "generic", options: ["map": "chosen=text,rejected=id"])
    #expect(result.accounting.read == 697)
    #expect(result.accounting.isBalanced && result.accounting.rejectedTotal == 0)
  }
}
