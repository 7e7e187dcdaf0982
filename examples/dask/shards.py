#!/usr/bin/python3
"""Fan teardown out over a Dask cluster: one task per shard of each capture, then one merge.

Each task runs `teardown analyze CAPTURE --shard K/N --format ndjson --no-packets -o OUT` on a
worker, reading the capture from storage every worker sees and writing its shard's ndjson there;
`teardown merge` then joins the shards into the output one run over the captures would give
(docs/distributed.md). Without --scheduler, a LocalCluster of worker processes on 127.0.0.1
stands in for the cluster.

    /usr/bin/python3 examples/dask/shards.py CAPTURE... --shards N --work DIR -o merged.ndjson
        [--scheduler tcp://HOST:8786] [--workers 2] [--teardown 'node dist/cli.js']

Exit status: 0 when every task and the merge succeeded (3: a capture was damaged; its shards
report what was read), else the first failure's status.
"""
import argparse
import os
import shlex
import subprocess
import sys
import time


def analyze_shard(teardown, capture, k, n, out):
    """One task: shard k of n of one capture into `out`. Returns (out, exit status, stderr)."""
    cmd = [*teardown, "analyze", capture, "--shard", f"{k}/{n}", "--format", "ndjson", "--no-packets", "-o", out]
    run = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    return out, run.returncode, run.stderr


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("captures", nargs="+", help="capture files on storage every worker reads")
    p.add_argument("--shards", type=int, default=2, help="shards of each capture (1: one task per capture)")
    p.add_argument("--work", required=True, help="directory on shared storage for the shards' outputs")
    p.add_argument("-o", "--output", required=True, help="the merged ndjson")
    p.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    p.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    p.add_argument("--teardown", default="teardown", help="the command that runs teardown on a worker")
    a = p.parse_args(argv)
    teardown = shlex.split(a.teardown)
    # Imported here: --help works without Dask.
    from dask.distributed import Client, LocalCluster

    started = time.monotonic()
    cluster = None
    if a.scheduler is None:
        # Worker processes, one thread each: a task waits on its teardown process, which does the work.
        cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
    client = Client(a.scheduler or cluster)
    try:
        os.makedirs(a.work, exist_ok=True)
        futures = []
        for c, capture in enumerate(a.captures):
            for k in range(1, a.shards + 1):
                out = os.path.join(a.work, f"{c}-{os.path.basename(capture)}.{k}-of-{a.shards}.ndjson")
                # pure=False: a task is a run of a program, not a value to cache.
                futures.append(client.submit(analyze_shard, teardown, os.path.abspath(capture), k, a.shards, out, pure=False))
        results = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    status = 0
    for out, code, err in results:
        sys.stderr.write(err)
        if code not in (0, 3):
            sys.stderr.write(f"shards.py: {out}: teardown analyze exited {code}\n")
            return code
        status = status or code
    merge = subprocess.run([*teardown, "merge", *[out for out, _, _ in results], "-o", a.output], check=False)
    sys.stderr.write(f"shards.py: {len(results)} tasks and the merge in {time.monotonic() - started:.1f} s\n")
    return merge.returncode or status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
