"""Run `rmprep plan -> rmprep shard x W -> rmprep merge` as a Spark job.

Spark supplies the rank: the job is `mapPartitionsWithIndex` over `range(W)` cut into W partitions,
so partition i runs `rmprep shard --rank i`. `rmprep` guarantees the result: a re-tried or
speculative duplicate of a partition finds the rank's manifest and exits 0 without work, and the
merge is byte-identical to one `rmprep convert --targets` whatever order the partitions ran in.

    spark-submit rmprep_spark.py --rmprep /abs/rmprep --world-size 64 --work-dir /shared/run \\
        -o /shared/run/shards INPUT... -- --tokenizer tok.json --targets seq2seq

The plan and the merge run on the driver; every path must be visible to the executors (a shared
file system) and `rmprep` must be an absolute path on every node. contrib/spark/run-local.sh runs
this in local[2] mode and compares the bytes with one `rmprep convert`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from rmprep_scaleout import ScaleOutJob, parse_command_line  # noqa: E402


def shard_partition(job: ScaleOutJob):
    """The function given to mapPartitionsWithIndex: runs the partition's rank, yields one row.

    It captures only lists of strings, so the executors need nothing of contrib/ on their path.
    """
    commands = [job.shard_command(rank) for rank in range(job.world_size)]

    def run(index, _rows):
        done = subprocess.run(commands[index], check=True, capture_output=True, text=True)
        yield (index, done.stderr.strip())

    return run


def main(argv: list[str]) -> int:
    def options(parser):
        parser.add_argument("--master", default=None, help="Spark master (default: spark-submit's)")

    job, args = parse_command_line(argv, "rmprep plan -> shard x W -> merge as a Spark job", options)
    from pyspark.sql import SparkSession

    os.makedirs(job.work_dir, exist_ok=True)
    subprocess.run(job.plan_command(), check=True)
    builder = SparkSession.builder.appName("rmprep-scale-out")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        rows = (
            spark.sparkContext.parallelize(range(job.world_size), job.world_size)
            .mapPartitionsWithIndex(shard_partition(job))
            .collect()
        )
    finally:
        spark.stop()
    ranks = sorted(index for index, _ in rows)
    if ranks != list(range(job.world_size)):
        print(f"rmprep_spark: ranks run {ranks}, expected 0..{job.world_size - 1}", file=sys.stderr)
        return 1
    subprocess.run(job.merge_command(), check=True)
    print(json.dumps({"ranks": len(ranks), "out": job.output}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
