// rmppo: SFT policy + reward model + prompt shards → PPO policy; scoring, evaluation and the report.
// Each subcommand lives in its own <Name>Command.swift; this file is only the table.

import CLISupport
import Corpus

Tool(
  name: "rmppo",
  version: ToolkitVersion.string,
  overview: "Token-level rewards from a seq2seq reward model, PPO, and evaluation under a judge.",
  subcommands: [
    Subcommand("train", "Run PPO with the seq2seq or the scalar reward model.", run: runTrain),
    Subcommand(
      "score", "Write per-token rewards for given responses (JSONL and an HTML heat map).",
      run: runScore),
    Subcommand(
      "eval", "Compare two policies under a judge: win rate, length, refusal rate.", run: runEval),
    Subcommand("report", "Assemble the experiment report (HTML and Markdown).", run: runReport),
  ]
).main()
