"""Run `rmprep plan -> rmprep shard x W -> rmprep merge` as a datatrove pipeline.

datatrove supplies the rank; `rmprep` guarantees the result (README, "Scaling beyond one machine").
Three executors chained with `depends=`: the plan (1 task), the W shard ranks, the merge (1 task).
The same definition runs under datatrove's LocalPipelineExecutor, SlurmPipelineExecutor and
RayPipelineExecutor: pass the executor class and its own keyword arguments.

    import sys; sys.path[:0] = ["contrib", "contrib/datatrove"]
    from datatrove.executor import LocalPipelineExecutor   # or SlurmPipelineExecutor, ...
    from rmprep_scaleout import ScaleOutJob
    from rmprep_datatrove import executors
    job = ScaleOutJob(rmprep="/abs/path/rmprep", inputs=["/data/a.jsonl", "/data/b.jsonl.gz"],
                      world_size=64, convert_args=["--tokenizer", "/data/tok.json",
                      "--targets", "seq2seq"], work_dir="/shared/run1",
                      output="/shared/run1/shards")
    executors(job, LocalPipelineExecutor, workers=2).run()   # plan, all ranks, merge

A re-run skips what finished: datatrove does not start completed tasks again (its completion
markers under work_dir/logs), and `rmprep shard` itself exits 0 without work for a rank whose part
manifest verifies, so retries and duplicate attempts are safe. For Slurm and Ray, datatrove pickles
the steps and the nodes import this module and rmprep_scaleout to unpickle them: put contrib/ and
contrib/datatrove/ of a shared checkout on the nodes' PYTHONPATH.

Command line (local executor), used by scripts/parity.d/scale-datatrove.sh:

    python rmprep_datatrove.py --rmprep BIN --world-size 4 --workers 2 --work-dir DIR -o OUT \\
        INPUT... -- --tokenizer tok.json --targets seq2seq
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from rmprep_scaleout import ScaleOutJob, parse_command_line  # noqa: E402


@dataclass
class RmprepStep:
    """One datatrove pipeline step that runs an `rmprep` subcommand for the task's rank.

    A plain callable `step(data, rank, world_size)` is a valid datatrove pipeline step; it yields
    no documents. It is a module-level dataclass so that datatrove can pickle it for Slurm and Ray.
    """

    job: ScaleOutJob
    command: str
    """"plan", "shard" or "merge"."""

    def __call__(self, data=None, rank: int = 0, world_size: int = 1):
        tasks = self.job.world_size if self.command == "shard" else 1
        if world_size != tasks:
            raise RuntimeError(
                f"rmprep {self.command} runs with {world_size} tasks, expected {tasks}; create the"
                " shard executor with tasks equal to the plan's --world-size"
            )
        if self.command == "plan":
            argv = self.job.plan_command()
        elif self.command == "shard":
            argv = self.job.shard_command(rank)
        else:
            argv = self.job.merge_command()
        subprocess.run(argv, check=True)
        return iter(())

    def __repr__(self) -> str:  # datatrove prints the pipeline
        return "rmprep " + self.command


def executors(job: ScaleOutJob, executor_class, workers: int = -1, **kwargs):
    """The merge executor, which depends on the shard executor, which depends on the plan's.

    `kwargs` go to every executor (e.g. Slurm's `partition`, `time`, `cpus_per_task`); `workers`
    (ranks run at once) only to the shard executor. Call `.run()` on the result.
    """
    logs = os.path.join(job.work_dir, "logs")
    plan = executor_class(
        pipeline=[RmprepStep(job, "plan")], tasks=1, logging_dir=os.path.join(logs, "plan"), **kwargs
    )
    shards = executor_class(
        pipeline=[RmprepStep(job, "shard")],
        tasks=job.world_size,
        workers=workers,
        logging_dir=os.path.join(logs, "shard"),
        depends=plan,
        **kwargs,
    )
    return executor_class(
        pipeline=[RmprepStep(job, "merge")],
        tasks=1,
        logging_dir=os.path.join(logs, "merge"),
        depends=shards,
        **kwargs,
    )


def main(argv: list[str]) -> int:
    def options(parser):
        parser.add_argument("--workers", type=int, default=2, help="ranks run at once (default 2)")

    job, args = parse_command_line(
        argv, "rmprep plan -> shard x W -> merge under datatrove's local executor", options
    )
    from datatrove.executor import LocalPipelineExecutor

    executors(job, LocalPipelineExecutor, workers=args.workers).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
