"""Many containers at once, sharing the default cgroup parent (pyrunc/): each
create may meet another's delete removing that parent."""
from concurrent.futures import ThreadPoolExecutor


def test_parallel_runs_with_the_default_cgroup_path(runtime, make_bundle):
    bundles = [make_bundle(["sh", "-c", "echo $$"], linux={"cgroupsPath": None})
               for _ in range(8)]

    def run(bundle):
        return runtime("run", "--bundle", bundle.path, bundle.id)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, bundles))
    assert [(rc, out, err) for rc, out, err in results] == [(0, "1\n", "")] * len(bundles)
