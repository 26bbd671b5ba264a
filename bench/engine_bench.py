"""Engines' `run --rm` of /bin/true through pyrunc and through runc.

Each installed engine (podman, containerd's ctr, dockerd) is set up from
files in a temp dir by the tests' harness (tests/engines/engines.py), as the
engine tests run it: podman with --runtime, ctr with --runc-binary, dockerd
with --add-runtime. Rounds interleave the two runtimes (the order rotates),
so drift in the machine's load touches both alike.
"""
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "engines"))
import engines  # noqa: E402  (the tests' engine harness)
import image  # noqa: E402

RUNTIMES = ("pyrunc", "runc")
ENGINES = (("podman", engines.Podman), ("ctr", engines.Containerd), ("docker", engines.Docker))


def run_true(engine, runtime, name):
    """One `run --rm IMAGE true`; its wall-clock seconds."""
    start = time.perf_counter()
    if isinstance(engine, engines.Containerd):
        result = engine.run("--rm", "--cgroup", engine.cgroup(name), image.IMAGE, name, "true",
                            runtime=runtime)
    else:
        result = engine.run("--rm", image.IMAGE, "true", runtime=runtime)
    elapsed = time.perf_counter() - start
    if result.rc != 0:
        raise RuntimeError(f"{engine.name} run through {runtime}: {result.err.strip()[-300:]}")
    return elapsed


def measure(engine, rounds, tag):
    """{runtime: [seconds...]} over `rounds` interleaved rounds, after one
    untimed warm-up run each."""
    times = {runtime: [] for runtime in RUNTIMES}
    for runtime in RUNTIMES:
        run_true(engine, runtime, f"{tag}-warm-{runtime}")
    for number in range(rounds):
        order = RUNTIMES[number % 2:] + RUNTIMES[:number % 2]
        for runtime in order:
            times[runtime].append(run_true(engine, runtime, f"{tag}-{number}-{runtime}"))
    return times


def bench_engine(label, make, pyrunc, rootfs, rounds):
    """The times for one engine, or None (with the reason printed) when it
    is not installed."""
    tag = f"pyrunc-bench-{os.getpid()}"
    workdir = tempfile.mkdtemp(prefix=f"{tag}-{label}-", dir="/tmp")
    engine = None
    try:
        engine = make(workdir, pyrunc, tag)
        tarball = os.path.join(workdir, "busybox.tar")
        image.write_image(rootfs, tarball)
        engine.load(tarball)
        return measure(engine, rounds, tag)
    except engines.EngineMissing as missing:
        print(f"{label:7} not measured: {missing} is not installed")
        return None
    finally:
        left = engine.close() if engine else []
        left += engines.remove_workdir(workdir) if os.path.isdir(workdir) else []
        if left:
            print(f"{label}: left behind: {left}")


def bench_engines(pyrunc, rootfs, rounds, report):
    """Measure every installed engine; `report(label, times)` prints one."""
    pyrunc = shutil.which(pyrunc) or os.path.abspath(pyrunc)
    for label, make in ENGINES:
        try:
            times = bench_engine(label, make, pyrunc, rootfs, rounds)
        except (RuntimeError, AssertionError) as exc:
            print(f"{label:7} failed: {exc}")
            continue
        if times:
            report(label, times)
