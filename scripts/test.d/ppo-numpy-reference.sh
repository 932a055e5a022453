#!/usr/bin/env bash
# The PPO maths (GAE, clipped losses, KL penalty, running statistics, whitening, log-probabilities,
# entropy) against an independent NumPy reference: recomputes Fixtures/ppo/math-reference.json's
# expected values from its inputs. TrainingTests/NumPyReferenceTests checks the Swift code against
# the same stored values. Regenerate with: python3 scripts/ppo_reference.py --write FILE.
set -uo pipefail
cd "$(dirname "$0")/../.."
if ! py=$(scripts/venv.sh numpy); then
  echo "SKIP: ppo-numpy-reference: numpy cannot be installed"
  exit 0
fi
"$py" scripts/ppo_reference.py --check Fixtures/ppo/math-reference.json
