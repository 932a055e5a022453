// Help texts of `rmtrain sft|seq2seq|scalar` (STYLE.md D11 layout). The options table lists every
// knob of RewardTrainingConfig with its default for the objective, so help and config.json agree.

import Corpus
import Training

/// One line per config key: flag, meaning, default.
let configFlagDocs: [(key: String, meaning: String)] = [
  ("layers", "Transformer blocks (from scratch)"), ("heads", "Attention heads"),
  ("width", "Residual width n_embd"),
  ("context-length", "Model context (room for the seq2seq RM); 0 = longest in the data"),
  ("batch-size", "Sequences per step (pairs for scalar)"),
  ("epochs", "Passes over the training split"),
  ("max-steps", "Stop after N steps; 0 = epochs decide"),
  ("learning-rate", "Peak AdamW learning rate"),
  ("warmup-fraction", "Fraction of steps in linear warm-up"),
  ("min-lr-ratio", "Cosine decay floor, as a fraction of the peak"), ("beta1", "AdamW beta1"),
  ("beta2", "AdamW beta2"), ("epsilon", "AdamW epsilon"),
  ("weight-decay", "Decoupled weight decay"),
  ("gradient-clip", "Global gradient-norm clip; 0 = off"),
  ("loss-normalization", "token-mean | sequence-sum"),
  ("magnitude-coefficient", "Scalar: lambda of lambda*(r_w^2 + r_l^2)"),
  ("seed", "Seed of initialisation and shuffling"),
  ("threads", "Engine threads (reproducible per count)"),
  ("log-every", "Log line every N steps when stderr is not a terminal"),
  ("eval-every", "Validate every N steps; 0 = only at the end"),
  ("checkpoint-every", "Checkpoint every N steps; 0 = only on Ctrl-C and at the end"),
  ("eval-limit", "Validate on at most N documents; 0 = all"),
  ("r-pos", "Seq2seq extraction: score of an agreeing token"),
  ("r-neg", "Seq2seq extraction: penalty of a diverging token"),
  ("extraction-variant", "Seq2seq extraction variant: A | B | C (METHOD.md §2.2)"),
]

/// The help of one training subcommand.
func trainHelp(_ objective: TrainingObjective) -> String {
  let what: String
  switch objective {
  case .sft: what = "Train the SFT policy: next-token loss on the response and its EOS (sft data)."
  case .seq2seq:
    what =
      "Train the seq2seq reward model: sequence MLE on the corrected/copied target and its EOS\n"
      + "(seq2seq data), from an SFT run (--init) or from scratch."
  case .scalar:
    what =
      "Train the scalar reward model: Bradley-Terry loss on a value head read at each sequence's\n"
      + "last real token (pairs data), from an SFT run (--init) or from scratch."
  }
  let defaults = RewardTrainingConfig(objective: objective).jsonValue
  var text = """
    OVERVIEW: \(what)

    USAGE: rmtrain \(objective.rawValue) --data DIR|- [--tokenizer FILE] [--init RUN_DIR] [--config FILE] [options] -o RUN_DIR
           rmtrain \(objective.rawValue) --data DIR|- --resume -o RUN_DIR

    OPTIONS:
      --data DIR|-              Shard directory from 'rmprep convert --targets \(objective.targetKind)', or - for the stream on stdin
      --tokenizer FILE          tokenizer.json (required with --data -; checked against the data's sha256)
      --init RUN_DIR            Start from this run's weights (an SFT run; tokenizer and special ids must match),
                                or from a transformers GPT-2 checkpoint (config.json + model.safetensors),
                                its embeddings grown for the data's appended special tokens
      --config FILE             JSON object of settings (keys as below with '_'); flags override it
      -o, --out RUN_DIR         Run directory to write
      --resume                  Continue the interrupted run in RUN_DIR from its checkpoint, bit for bit
      --overwrite               Start again in a RUN_DIR that holds an interrupted run (default: refuse)
      --progress                Force the progress line even when stderr is not a terminal

    """
  for (key, meaning) in configFlagDocs {
    let jsonKey = String(key.map { $0 == "-" ? "_" : $0 })
    let value = defaults[jsonKey].map { $0.stringValue ?? JSONWriter.string($0) } ?? ""
    let flag = "--\(key)"
    text += "  " + flag + String(repeating: " ", count: max(1, 26 - flag.count)) + meaning
    text += " (\(value))\n"
  }
  text += """
      -h, --help                Show help information.

    EXIT STATUS: 0 success, 1 failure (bad data, diverged), 64 usage error, 130 interrupted (checkpoint written).

    """
  return text
}
