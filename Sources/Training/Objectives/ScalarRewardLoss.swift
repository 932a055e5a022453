// The scalar reward model's training step (METHOD.md §3): a batch holds pairs as rows
// [chosen₀, rejected₀, chosen₁, rejected₁, …]; each row's reward is the value head's output at that
// row's last real token, whose position comes from the stored length (never a padding search,
// KNOWN-FAULTS K19); the Bradley–Terry loss's reward gradients go back into those positions only.

/// Rewards of every row of `batch`, read from (B, T) `values` at each row's last real token.
public func scalarRewards(values: [Float], batch: PaddedBatch) -> [Float] {
  precondition(
    values.count == batch.batchSize * batch.sequenceLength,
    "scalarRewards: values have \(values.count) entries, expected B·T")
  return (0..<batch.batchSize).map { row in
    values[row * batch.sequenceLength + batch.lastRealTokenPosition(row: row)]
  }
}

/// Rows of a pair batch: chosen₀, rejected₀, chosen₁, rejected₁, …
public func pairBatch(
  _ pairs: [(chosen: TrainingExample, rejected: TrainingExample)], padID: UInt32
)
  -> PaddedBatch
{
  PaddedBatch(examples: pairs.flatMap { [$0.chosen, $0.rejected] }, padID: padID)
}

/// Bradley–Terry loss of a pair batch from the model's values, and the (B, T) value gradient that
/// is non-zero only at each row's last real token.
public func scalarRewardLoss(values: [Float], batch: PaddedBatch, magnitudeCoefficient: Double)
  -> (result: BradleyTerryResult, rewards: [Float], dValues: [Float])
{
  let rewards = scalarRewards(values: values, batch: batch)
  let chosen = stride(from: 0, to: rewards.count, by: 2).map { rewards[$0] }
  let rejected = stride(from: 1, to: rewards.count, by: 2).map { rewards[$0] }
  let result = bradleyTerryLoss(
    chosen: chosen, rejected: rejected,
    magnitudeCoefficient: magnitudeCoefficient)
  var dValues = [Float](repeating: 0, count: values.count)
  for pair in chosen.indices {
    let c = 2 * pair
    dValues[c * batch.sequenceLength + batch.lastRealTokenPosition(row: c)] = result.dChosen[pair]
    let r = 2 * pair + 1
    dValues[r * batch.sequenceLength + batch.lastRealTokenPosition(row: r)] = result.dRejected[pair]
  }
  return (result, rewards, dValues)
}
