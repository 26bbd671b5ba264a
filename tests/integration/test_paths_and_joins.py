"""Namespaces joined by path, and mount destinations that try to leave the root."""
import os

from conftest import assert_nothing_left, assert_one_line_error, tmpfs


def test_join_the_network_namespace_of_another_container(runtime, make_bundle, default_spec):
    first = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", first.path, first.id)
    first_pid = runtime.state(first.id)["pid"]
    joined = [ns if ns["type"] != "network" else {"type": "network",
                                                  "path": f"/proc/{first_pid}/ns/net"}
              for ns in default_spec["linux"]["namespaces"]]
    second = make_bundle(["readlink", "/proc/self/ns/net"], linux={"namespaces": joined})
    rc, out, err = runtime("run", "--bundle", second.path, second.id)
    assert rc == 0, err
    assert out.strip() == os.readlink(f"/proc/{first_pid}/ns/net")
    assert out.strip() != os.readlink("/proc/self/ns/net")


def test_missing_namespace_path_is_one_clear_line(runtime, make_bundle, default_spec):
    namespaces = default_spec["linux"]["namespaces"] + [{"type": "cgroup", "path": "/no/such/ns"}]
    b = make_bundle(["true"], linux={"namespaces": namespaces})
    rc, out, err = runtime("create", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "cgroup namespace /no/such/ns", "No such file or directory")
    assert_nothing_left(runtime, b.id)


def test_symlink_in_the_rootfs_cannot_redirect_a_mount_to_the_host(runtime, make_bundle,
                                                                   rootfs_copy, tmp_path):
    target = tmp_path / "host-side"          # where an escaping mount would land
    os.symlink(str(target), rootfs_copy / "evil")  # absolute: means /... inside the root
    b = make_bundle(["sh", "-c", f"grep -c ' {target}/sub ' /proc/self/mountinfo"],
                    root={"path": str(rootfs_copy), "readonly": False},
                    extra_mounts=[tmpfs("/evil/sub")])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    assert out.strip() == "1"                # mounted where the link points in the container
    assert not target.exists()               # and nothing made on the host side
    assert (rootfs_copy / str(target).lstrip("/") / "sub").is_dir()


def test_dot_dot_in_a_destination_stays_inside_the_root(runtime, make_bundle, rootfs_copy):
    b = make_bundle(["sh", "-c", "grep -c ' /escaped ' /proc/self/mountinfo"],
                    root={"path": str(rootfs_copy), "readonly": False},
                    extra_mounts=[tmpfs("/../../../../escaped")])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    assert out.strip() == "1"
    assert (rootfs_copy / "escaped").is_dir()
    assert not os.path.exists("/escaped")


def test_relative_symlink_climbing_out_stays_inside(runtime, make_bundle, rootfs_copy):
    os.symlink("../../../../../../pyrunc-climbed", rootfs_copy / "climb")
    b = make_bundle(["true"], root={"path": str(rootfs_copy), "readonly": False},
                    extra_mounts=[tmpfs("/climb/sub")])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    assert (rootfs_copy / "pyrunc-climbed" / "sub").is_dir()
    assert not os.path.exists("/pyrunc-climbed")
