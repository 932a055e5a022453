"""The three `rmprep` commands of a scale-out run, shared by the engine adapters in contrib/.

A `ScaleOutJob` says where the tool, the inputs, the work directory and the output are, and builds
the argument lists of `rmprep plan`, `rmprep shard --rank R` and `rmprep merge` (README, "Scaling
beyond one machine"). Engines only decide where and when each runs; every path must be visible to
every worker (a shared file system) and `rmprep` must be an absolute path on each node.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field


@dataclass
class ScaleOutJob:
    rmprep: str
    inputs: list[str]
    world_size: int
    convert_args: list[str]
    """Flags of `rmprep convert --targets` pinned by the plan, e.g. --tokenizer T --targets K."""
    work_dir: str
    output: str
    shard_args: list[str] = field(default_factory=list)
    """Extra flags for `rmprep shard`, e.g. ["--threads", "1"]."""

    @property
    def plan_path(self) -> str:
        return os.path.join(self.work_dir, "plan.json")

    @property
    def parts_dir(self) -> str:
        return os.path.join(self.work_dir, "parts")

    def plan_command(self) -> list[str]:
        command = [self.rmprep, "plan", *self.inputs, "--world-size", str(self.world_size)]
        return [*command, *self.convert_args, "-o", self.plan_path]

    def shard_command(self, rank) -> list[str]:
        command = [self.rmprep, "shard", "--plan", self.plan_path, "--rank", str(rank)]
        return [*command, "-o", self.parts_dir, *self.shard_args]

    def merge_command(self) -> list[str]:
        command = [self.rmprep, "merge", "--plan", self.plan_path, "--in", self.parts_dir]
        return [*command, "-o", self.output]


def parse_command_line(argv: list[str], description: str, extra=None):
    """`INPUT... --rmprep BIN --world-size W --work-dir DIR -o OUT [--threads N] -- FLAGS...`.

    Returns the job (paths made absolute) and the parsed namespace; `extra(parser)` may add
    engine-specific options.
    """
    split = argv.index("--") if "--" in argv else len(argv)
    own, convert_args = argv[:split], argv[split + 1 :]
    parser = argparse.ArgumentParser(
        description=description + "; flags after -- are rmprep plan's conversion flags"
        " (--tokenizer, --targets, ...)"
    )
    parser.add_argument("inputs", nargs="+", help="input files")
    parser.add_argument("--rmprep", required=True, help="path of the rmprep binary")
    parser.add_argument("--world-size", type=int, required=True, help="number of ranks W")
    parser.add_argument("--work-dir", required=True, help="plan.json, parts/ (and engine logs)")
    parser.add_argument("-o", "--out", required=True, help="merged shard directory")
    parser.add_argument("--threads", type=int, default=1, help="rmprep shard --threads (default 1)")
    if extra:
        extra(parser)
    args = parser.parse_args(own)
    if not convert_args:
        parser.error("give rmprep plan's conversion flags after --, e.g. -- --tokenizer T --targets K")
    job = ScaleOutJob(
        rmprep=os.path.abspath(args.rmprep),
        inputs=[os.path.abspath(p) for p in args.inputs],
        world_size=args.world_size,
        convert_args=convert_args,
        work_dir=os.path.abspath(args.work_dir),
        output=os.path.abspath(args.out),
        shard_args=["--threads", str(args.threads)],
    )
    return job, args
