#!/usr/bin/env python3
"""Lifecycle benchmark: pyrunc against runc (and crun) on the same containers.

    bench/bench.py [--rounds 20] [--same-config] [--pyrunc PATH] [--rootfs DIR]
                   [--engine-rounds 10 | --no-engines]

Each round, for each runtime in turn (the order rotates between rounds, so that
drift in the machine's load touches every runtime alike), it times:

* the commands an engine makes for one container, one at a time: create,
  start, state, exec (/bin/true), kill (SIGKILL), delete;
* a whole foreground `run` of /bin/true.

Every container gets a config.json of its own, written just before, with its
own hostname, as engines do (podman, containerd and docker write one per
container): no runtime can answer from a cache of a config it has seen.
--same-config reuses one bundle instead, for comparison.

Then, as root, for each engine installed (podman, containerd's ctr, dockerd),
the engine's `run --rm` of /bin/true through pyrunc and through runc,
interleaved, each engine configured from files in a temp dir
(bench/engine_bench.py; --no-engines leaves this out).

It prints the median of each command per runtime, the spread (25th-75th
percentile) so noise shows, and the ratio to runc. A benchmark, not a test:
it asserts nothing about speed. Run it on an installed pyrunc (`pip install .`),
not an editable install: the editable finder alone costs milliseconds per call.
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
COMMANDS = ("create", "start", "state", "exec", "kill", "delete", "run")
DEVNULL = subprocess.DEVNULL


class Runtime:
    """One runtime binary with a private --root; every call timed by wall clock."""

    def __init__(self, name, path, env):
        self.name, self.path, self.env = name, path, env
        self.root = tempfile.mkdtemp(prefix=f"bench-{name}-", dir="/run")

    def call(self, *args):
        """(seconds, returncode, stderr's last line)."""
        with tempfile.TemporaryFile() as err:  # a file: the init may keep it open
            start = time.perf_counter()
            rc = subprocess.run([self.path, "--root", self.root, *args], env=self.env,
                                stdin=DEVNULL, stdout=DEVNULL, stderr=err).returncode
            elapsed = time.perf_counter() - start
            err.seek(0)
            lines = err.read().decode(errors="replace").strip().splitlines()
        return elapsed, rc, (lines[-1] if lines else "")

    def timed(self, times, command, *args):
        elapsed, rc, message = self.call(command, *args)
        if rc != 0:
            raise RuntimeError(f"{self.name} {command}: {message or f'exit {rc}'}")
        times.setdefault(command, []).append(elapsed)

    def wait_stopped(self, cid, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = subprocess.run([self.path, "--root", self.root, "state", cid], env=self.env,
                                 capture_output=True, stdin=DEVNULL).stdout
            if not out or json.loads(out).get("status") == "stopped":
                return
            time.sleep(0.01)
        raise RuntimeError(f"{self.name}: {cid} did not stop after SIGKILL")

    def force_delete(self, cid):
        subprocess.run([self.path, "--root", self.root, "delete", "--force", cid],
                       env=self.env, stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL)

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


class Bundles:
    """config.json files for the containers: a fresh one each time, or one shared."""

    def __init__(self, rootfs, same_config):
        self.base = make_spec(rootfs)
        self.dir = tempfile.mkdtemp(prefix="bench-bundles-")
        self.same_config = same_config
        self.count = 0
        # In the hostname: no config of this run can match one of an earlier run.
        self.nonce = os.urandom(4).hex()

    def new(self, args):
        self.count += 1
        name = "shared-" + "-".join(args) if self.same_config else f"c{self.count}"
        path = os.path.join(self.dir, name.replace("/", "_"))
        if not os.path.exists(path):
            os.mkdir(path)
            spec = json.loads(json.dumps(self.base))
            spec["process"]["args"] = list(args)
            spec["hostname"] = f"bench-{self.nonce}-{name}"[:63]
            with open(os.path.join(path, "config.json"), "w") as f:
                json.dump(spec, f, indent=2)  # as engines write it
        return path

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def make_spec(rootfs):
    """The example bundle's config, no terminal, the rootfs by absolute path."""
    with open(os.path.join(REPO, "bundles", "busybox", "config.json")) as f:
        spec = json.load(f)
    spec["process"]["terminal"] = False
    spec["root"] = {"path": os.path.abspath(rootfs), "readonly": True}
    spec["ociVersion"] = "1.0.2"  # the newest that Debian 12's crun 1.8 accepts
    return spec


def one_round(runtime, bundles, times, tag):
    """The engine-like lifecycle of one container, then one whole `run`."""
    cid = f"bench-{os.getpid()}-{tag}"
    try:
        runtime.timed(times, "create", "--bundle", bundles.new(["sleep", "100"]), cid)
        runtime.timed(times, "start", cid)
        runtime.timed(times, "state", cid)
        runtime.timed(times, "exec", cid, "/bin/true")
        runtime.timed(times, "kill", cid, "KILL")
        runtime.wait_stopped(cid)
        runtime.timed(times, "delete", cid)
        runtime.timed(times, "run", "--bundle", bundles.new(["/bin/true"]), cid + "-run")
    except BaseException:
        runtime.force_delete(cid)
        runtime.force_delete(cid + "-run")
        raise


def runtimes_to_compare(pyrunc):
    env = dict(os.environ)
    # Without .pyc files every Python call recompiles its modules: let pyrunc
    # write them (the warm-up round does) and read them.
    if env.pop("PYTHONDONTWRITEBYTECODE", None):
        print("note: PYTHONDONTWRITEBYTECODE is set here; unset for the runtimes")
    found = [Runtime("pyrunc", pyrunc, env)]
    for name in ("runc", "crun"):
        path = shutil.which(name)
        if path:
            found.append(Runtime(name, path, env))
        else:
            print(f"{name:7} not installed: skipped (apt-get install -y {name})")
    return found


def warm_up(runtimes, bundles):
    """One round each, untimed: page cache, .pyc files. A runtime that cannot
    run containers here (crun 1.8 refuses a hybrid cgroup v1/v2 host) is named
    with its reason and left out."""
    usable = []
    for runtime in runtimes:
        try:
            one_round(runtime, bundles, {}, "warm")
            usable.append(runtime)
        except RuntimeError as exc:
            if runtime.name == "pyrunc":
                sys.exit(f"pyrunc failed: {exc}")
            print(f"{runtime.name:7} cannot run containers here, left out: {exc}")
            runtime.close()
    return usable


def report(results, rounds, same_config):
    names = list(results)
    base = "runc" if "runc" in results else None
    what = "one shared config.json" if same_config else "a fresh config.json per container"
    print(f"\nmedian ms per command, {rounds} interleaved rounds, {what}"
          " (p25-p75 in brackets)")
    print(f"{'command':8}" + "".join(f"{name:>24}" for name in names)
          + "".join(f"{name + '/' + base:>14}" for name in names if base and name != base))
    for command in COMMANDS:
        cells, medians = "", {}
        for name in names:
            medians[name], q1, q3 = spread_ms(results[name][command])
            cells += f"{medians[name]:9.1f} [{q1:5.1f}-{q3:5.1f}]"
        ratios = "".join(f"{medians[n] / medians[base]:13.2f}x" for n in names
                         if base and n != base)
        print(f"{command:8}{cells}{ratios}")


def spread_ms(values):
    """(median, p25, p75) in milliseconds."""
    values = sorted(values)
    q1, _, q3 = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
    return statistics.median(values) * 1000, q1 * 1000, q3 * 1000


def report_engine(label, times):
    """One line: the engine's `run --rm true` through pyrunc and runc. The
    engines' own waits make their times fall on steps (about 50 ms apart
    here), so the mean is shown too: it moves with how often a runtime
    pushes a run onto the next step, where the median jumps a whole step."""
    cells, medians, means = "", {}, {}
    for runtime, values in times.items():
        medians[runtime], q1, q3 = spread_ms(values)
        means[runtime] = statistics.mean(values) * 1000
        cells += (f"  {runtime} {medians[runtime]:6.1f} [{q1:5.1f}-{q3:5.1f}]"
                  f" mean {means[runtime]:6.1f}")
    ratio = {name: value["pyrunc"] / value["runc"] for name, value in
             (("median", medians), ("mean", means))}
    print(f"{label + ' run --rm':16}{cells}  pyrunc/runc median {ratio['median']:4.2f}x"
          f" mean {ratio['mean']:4.2f}x")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--same-config", action="store_true",
                        help="one config.json for every container (the cache-friendly case)")
    parser.add_argument("--rootfs", default=os.path.join(REPO, "bundles", "busybox", "rootfs"))
    venv_pyrunc = os.path.join(REPO, ".venv", "bin", "pyrunc")
    parser.add_argument("--pyrunc", default=venv_pyrunc if os.path.exists(venv_pyrunc)
                        else shutil.which("pyrunc") or "pyrunc")
    parser.add_argument("--engine-rounds", type=int, default=10,
                        help="rounds of each installed engine's `run --rm true` (as root)")
    parser.add_argument("--no-engines", action="store_true",
                        help="leave out podman, containerd and docker")
    return parser.parse_args()


def main():
    args = parse_args()
    if not os.path.isdir(args.rootfs):
        sys.exit(f"no rootfs at {args.rootfs}: run bundles/make-rootfs.sh first")
    print(f"pyrunc: {args.pyrunc}; load average {os.getloadavg()[0]:.2f} at the start")
    bundles = Bundles(args.rootfs, args.same_config)
    runtimes = runtimes_to_compare(args.pyrunc)
    try:
        runtimes = warm_up(runtimes, bundles)
        results = {r.name: {} for r in runtimes}
        for round_number in range(args.rounds):
            shift = round_number % len(runtimes)
            for runtime in runtimes[shift:] + runtimes[:shift]:
                one_round(runtime, bundles, results[runtime.name], round_number)
    finally:
        for runtime in runtimes:
            runtime.close()
        bundles.close()
    report(results, args.rounds, args.same_config)
    if not args.no_engines:
        bench_engines(args)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


def bench_engines(args):
    if os.geteuid() != 0:
        print("\nengines not measured: they run containers as root")
        return
    import engine_bench
    # The daemons inherit this environment: let pyrunc write its .pyc files.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"\nengines: `run --rm IMAGE true`, pyrunc against runc, --network none,"
          f" {args.engine_rounds} interleaved rounds, ms (median [p25-p75], mean)")
    engine_bench.bench_engines(args.pyrunc, args.rootfs, args.engine_rounds, report_engine)


if __name__ == "__main__":
    main()
