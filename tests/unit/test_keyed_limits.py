"""Limits per block device, page size and rdma device, and cpu burst/idle:
the control file lines each cgroup version takes."""
import pytest

from libcontainer.cgroups.resources import V1_RULES, V2_RULES, render
from libcontainer.errors import PyruncError

BLOCK_IO = {"weightDevice": [{"major": 8, "minor": 0, "weight": 300}],
            "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}],
            "throttleWriteIOPSDevice": [{"major": 8, "minor": 0, "rate": 50},
                                        {"major": 252, "minor": 16, "rate": 70}]}


def lines(rules, resources):
    return [(controller, w.file, w.value) for controller, w in render(rules, resources)]


def test_block_io_per_device_v1_one_file_per_limit():
    assert lines(V1_RULES, {"blockIO": BLOCK_IO}) == [
        ("blkio", "blkio.throttle.read_bps_device", "8:0 1048576"),
        ("blkio", "blkio.throttle.write_iops_device", "8:0 50"),
        ("blkio", "blkio.throttle.write_iops_device", "252:16 70"),
        ("blkio", "blkio.weight_device", "8:0 300")]


def test_block_io_per_device_v2_one_io_max_line_per_device():
    assert lines(V2_RULES, {"blockIO": BLOCK_IO}) == [
        ("io", "io.max", "8:0 rbps=1048576 wiops=50"),
        ("io", "io.max", "252:16 wiops=70"),
        ("io", "io.weight", "8:0 300")]


def test_hugepages_rdma_burst_idle():
    resources = {"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
                 "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
                 "cpu": {"burst": 5000, "idle": 1}}
    assert lines(V1_RULES, resources) == [
        ("cpu", "cpu.cfs_burst_us", "5000"), ("cpu", "cpu.idle", "1"),
        ("hugetlb", "hugetlb.2MB.limit_in_bytes", "4194304"),
        ("rdma", "rdma.max", "mlx5_1 hca_handle=3 hca_object=10000")]
    assert lines(V2_RULES, resources) == [
        ("cpu", "cpu.max.burst", "5000"), ("cpu", "cpu.idle", "1"),
        ("hugetlb", "hugetlb.2MB.max", "4194304"),
        ("rdma", "rdma.max", "mlx5_1 hca_handle=3 hca_object=10000")]


@pytest.mark.parametrize("resources, field", [
    ({"hugepageLimits": [{"pageSize": "huge", "limit": 1}]}, r"hugepageLimits\[0\].pageSize"),
    ({"blockIO": {"throttleReadBpsDevice": [{"major": "8", "minor": 0, "rate": 1}]}},
     r"throttleReadBpsDevice\[0\].major"),
    ({"rdma": {"mlx5_1": {"hcaHandles": "many"}}}, r"rdma.mlx5_1.hcaHandles"),
])
def test_bad_values_name_the_field(resources, field):
    with pytest.raises(PyruncError, match=field):
        render(V1_RULES, resources)
