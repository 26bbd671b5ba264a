#!/usr/bin/env python3
"""Lifecycle benchmark: N sequential `run` of a /bin/true bundle per runtime.

    bench/bench.py [--runs 20] [--rootfs bundles/busybox/rootfs] [--pyrunc PATH]

Runs pyrunc and, when installed, runc and crun on the same bundle in one run
and prints each one's mean and median wall time per container and the ratio
to runc. A benchmark, not a test: it asserts nothing about speed.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def make_bundle(directory, rootfs):
    """A copy of the example bundle's config running /bin/true, no terminal."""
    with open(os.path.join(REPO, "bundles", "busybox", "config.json")) as f:
        spec = json.load(f)
    spec["process"].update(args=["/bin/true"], terminal=False)
    spec["root"] = {"path": os.path.abspath(rootfs), "readonly": True}
    spec["ociVersion"] = "1.0.2"  # the newest that Debian 12's crun 1.8 accepts
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(spec, f)


def time_runs(runtime, bundle, runs):
    root = tempfile.mkdtemp(prefix=f"bench-{os.path.basename(runtime)}-", dir="/run")
    times = []
    try:
        for i in range(runs):
            start = time.perf_counter()
            result = subprocess.run([runtime, "--root", root, "run", "--bundle", bundle,
                                     f"bench-{os.getpid()}-{i}"],
                                    stdin=subprocess.DEVNULL, capture_output=True)
            times.append(time.perf_counter() - start)
            if result.returncode != 0:
                raise RuntimeError(result.stderr.decode().strip().splitlines()[-1])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rootfs", default=os.path.join(REPO, "bundles", "busybox", "rootfs"))
    venv_pyrunc = os.path.join(REPO, ".venv", "bin", "pyrunc")
    parser.add_argument("--pyrunc", default=venv_pyrunc if os.path.exists(venv_pyrunc)
                        else shutil.which("pyrunc") or "pyrunc")
    args = parser.parse_args()
    if not os.path.isdir(args.rootfs):
        sys.exit(f"no rootfs at {args.rootfs}: run bundles/make-rootfs.sh first")
    runtimes = [("pyrunc", args.pyrunc)]
    runtimes += [(name, shutil.which(name)) for name in ("runc", "crun") if shutil.which(name)]
    results = {}
    with tempfile.TemporaryDirectory() as bundle:
        make_bundle(bundle, args.rootfs)
        runnable = []
        for name, path in runtimes:
            try:
                time_runs(path, bundle, 1)  # warm caches (page cache, config cache)
                runnable.append((name, path))
                results[name] = []
            except RuntimeError as exc:
                if name == "pyrunc":
                    sys.exit(f"pyrunc failed: {exc}")
                print(f"{name:7} cannot run here: {exc}")
        # Interleaved, one container of each runtime per round, so that drift
        # in the machine's load affects every runtime alike.
        for _ in range(args.runs):
            for name, path in runnable:
                results[name] += time_runs(path, bundle, 1)
    base = statistics.mean(results["runc"]) if "runc" in results else None
    print(f"{args.runs} sequential `run` of /bin/true per runtime")
    for name, times in results.items():
        mean, median = statistics.mean(times) * 1000, statistics.median(times) * 1000
        ratio = f"  {mean / (base * 1000):.2f}x runc" if base else ""
        print(f"{name:7} mean {mean:6.1f} ms  median {median:6.1f} ms{ratio}")


if __name__ == "__main__":
    main()
