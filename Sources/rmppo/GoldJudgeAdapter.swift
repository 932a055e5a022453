// The embedded task's programmatic judge (EmbeddedTask.GoldJudge) as a `ResponseJudge` for
// `rmppo eval --judge gold`: prompts and answers are decoded without special tokens and scored as
// text. Prompts the task cannot parse score `GoldJudge.Score.unknownPrompt` for both policies (a
// tie) and are counted, so a judge pointed at the wrong prompts is reported rather than silent.

import BPE
import EmbeddedTask
import Training

/// GoldJudge over token ids.
final class GoldJudgeAdapter: ResponseJudge {
  let judge: GoldJudge
  let decode: ([TokenID]) -> String
  /// Prompts (counted once per scored answer) the task did not recognise.
  private(set) var unparsedPrompts = 0

  init(judge: GoldJudge, decode: @escaping ([TokenID]) -> String) {
    self.judge = judge
    self.decode = decode
  }

  var name: String { "gold:\(judge.task.rawValue)" }

  func scores(prompts: [[TokenID]], responses: [[TokenID]]) throws -> [Double] {
    zip(prompts, responses).map { prompt, response in
      let text = decode(prompt)
      if !judge.canJudge(prompt: text) { unparsedPrompts += 1 }
      return judge.score(prompt: text, response: decode(response))
    }
  }
}
