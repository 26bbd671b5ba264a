"""run-image's flags (parsing, checks naming the flag), the config it
writes, and the network lease allocator: pure functions, no root."""
import os

import pytest

from libcontainer import errors
from libcontainer.images import options, spec
from libcontainer.images.layers import LayerError, _clean_name
from libcontainer.images.users import Users
from libcontainer.network import leases
from runtime import cli


@pytest.mark.parametrize("text, size", [("100m", 100 << 20), ("1g", 1 << 30), ("2048k", 2 << 20),
                                        ("64MB", 64 << 20), ("1048576", 1 << 20), ("1t", 1 << 40)])
def test_memory_sizes(text, size):
    assert options.memory_bytes(text) == size


@pytest.mark.parametrize("text", ["lots", "12q", "1.5g", "-1m", "", "m", "10k"])
def test_bad_memory_sizes_name_the_flag(text):
    with pytest.raises(errors.PyruncError, match=f"^-m {text}: "):
        options.memory_bytes(text)


def test_cpus_become_a_quota():
    assert options.cpu_quota("0.5") == {"quota": 50000, "period": 100000}
    with pytest.raises(errors.PyruncError, match="^--cpus 0: "):
        options.cpu_quota("0")


@pytest.mark.parametrize("text, ok", [("0", True), ("0-0", True), ("0,0", True), ("1-0", False),
                                      ("a", False), ("0-", False), ("99999", False)])
def test_cpuset(text, ok):
    if ok:
        assert options.cpuset(text) == text
    else:
        with pytest.raises(errors.PyruncError, match=f"^--cpuset-cpus {text}: "):
            options.cpuset(text)


def test_volumes(tmp_path):
    assert options.volume(f"{tmp_path}:/data:ro") == {
        "destination": "/data", "type": "bind", "source": str(tmp_path),
        "options": ["rbind", "ro"]}
    assert options.volume(f"{tmp_path}:/data")["options"] == ["rbind"]
    for bad, why in [(f"{tmp_path}/nope:/d", "does not exist"), ("x", "SRC:DST"),
                     (f"{tmp_path}:d", "absolute"), (f"{tmp_path}:/d:rx", "SRC:DST")]:
        with pytest.raises(errors.PyruncError, match=why):
            options.volume(bad)


def test_env_and_ports(monkeypatch):
    monkeypatch.setenv("FROM_CALLER", "v")
    assert options.env_entry("A=b=c") == "A=b=c"
    assert options.env_entry("FROM_CALLER") == "FROM_CALLER=v"
    with pytest.raises(errors.PyruncError, match="^-e =x: "):
        options.env_entry("=x")
    assert options.port("8080:80/udp") == {"host": 8080, "container": 80, "protocol": "udp"}
    for bad in ("80", "0:80", "80:80/sctp", "x:80", "80:65536"):
        with pytest.raises(errors.PyruncError, match=f"^-p {bad}: "):
            options.port(bad)


def test_config_from_image_and_flags():
    image = {"Env": ["PATH=/img/bin", "FROM_IMAGE=1"], "Entrypoint": ["/entry"],
             "Cmd": ["default"], "WorkingDir": "/work", "User": "1000:100",
             "StopSignal": "SIGQUIT"}
    request = spec.Request("img", ["given"], env=["FROM_IMAGE=2"], hostname="c1",
                           resources={"memory": {"limit": 1 << 20}})
    config = spec.build(image, request)
    process = config["process"]
    assert process["args"] == ["/entry", "given"]
    assert "PATH=/img/bin" in process["env"] and "FROM_IMAGE=2" in process["env"]
    assert (process["cwd"], process["user"]) == ("/work", {"uid": 1000, "gid": 100})
    assert config["annotations"][spec.STOP_SIGNAL] == "SIGQUIT"
    assert config["linux"]["resources"]["memory"] == {"limit": 1 << 20}
    assert config["hostname"] == "c1" and config["root"]["path"] == "rootfs"
    assert spec.build({"Cmd": ["x"]}, spec.Request("img"))["process"]["args"] == ["x"]
    with pytest.raises(errors.PyruncError, match="^COMMAND: "):
        spec.build({}, spec.Request("img"))
    with pytest.raises(errors.PyruncError, match="User 'nobody'"):
        spec.build({"User": "nobody", "Cmd": ["x"]}, spec.Request("img"))


def test_user_names_from_the_images_files(tmp_path):
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "passwd").write_text("root:x:0:0::/:/bin/sh\napp:x:1234:2345::/:/bin/sh\n")
    (etc / "group").write_text("root:x:0:\nstaff:x:50:\n")
    users = Users(str(tmp_path))

    def user(text):
        return spec.build({"User": text, "Cmd": ["x"]}, spec.Request("i"), users)["process"]["user"]

    assert user("app") == {"uid": 1234, "gid": 2345}
    assert user("app:staff") == {"uid": 1234, "gid": 50}
    assert user("7:staff") == {"uid": 7, "gid": 50}
    assert user("7") == {"uid": 7, "gid": 0}
    with pytest.raises(errors.PyruncError, match="'bob': no such user"):
        user("bob")
    with pytest.raises(errors.PyruncError, match="no group 'wheel'"):
        user("app:wheel")


def test_user_files_are_not_read_through_a_symlink(tmp_path):
    secret = tmp_path / "host-passwd"
    secret.write_text("app:x:1:1::/:/bin/sh\n")
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "passwd").symlink_to(secret)
    with pytest.raises(errors.PyruncError, match="no such user"):
        Users(str(root)).user("app")
    (root / "etc" / "passwd").unlink()
    (root / "etc").rmdir()
    (tmp_path / "host-etc").mkdir()
    (tmp_path / "host-etc" / "passwd").write_text("app:x:1:1::/:/bin/sh\n")
    (root / "etc").symlink_to(tmp_path / "host-etc")  # a linked /etc is not followed either
    with pytest.raises(errors.PyruncError, match="no such user"):
        Users(str(root)).user("app")


def test_leases_are_unique_and_ports_taken_once():
    table = {}
    first = leases.allocate(table, "a", "br", "10.9.0.0/29", [
        {"host": 80, "container": 80, "protocol": "tcp"}])
    second = leases.allocate(table, "b", "br", "10.9.0.0/29", [
        {"host": 80, "container": 80, "protocol": "udp"}])
    assert (first["address"], first["gateway"], second["address"]) == (
        "10.9.0.2", "10.9.0.1", "10.9.0.3")
    with pytest.raises(errors.PyruncError, match="host port 80/tcp is already mapped to container a"):
        leases.allocate(table, "c", "br", "10.9.0.0/29",
                        [{"host": 80, "container": 81, "protocol": "tcp"}])
    for name in "cde":  # .4 to .6: a /29 has six hosts, the first the gateway
        leases.allocate(table, name, "br", "10.9.0.0/29", [])
    with pytest.raises(errors.PyruncError, match="no free address left"):
        leases.allocate(table, "g", "br", "10.9.0.0/29", [])
    del table["b"]
    assert leases.allocate(table, "g", "br", "10.9.0.0/29", [])["address"] == "10.9.0.3"


def test_layer_names_never_leave_the_layer():
    assert _clean_name("./a//b/", "l") == "a/b"
    assert _clean_name("./", "l") is None
    assert _clean_name("/abs/path", "l") == "abs/path"
    for bad in ("../x", "a/../../x", "./usr/bin/../bin"):  # any "..": a link could be below
        with pytest.raises(LayerError, match="leaves the layer"):
            _clean_name(bad, "l")


def test_run_image_command_line():
    args = cli.parse(["run-image", "-ti", "-v", "/a:/b", "-e", "K=V", "-m", "1g", "--cpus", "1",
                      "--cpu-shares", "512", "--cpuset-cpus", "0", "--name", "web",
                      "-p", "80:80", "busybox", "sh", "-c", "echo -d -t"])
    assert (args.tty, args.interactive, args.detach, args.image) == (True, True, False, "busybox")
    assert (args.volume, args.env, args.memory, args.publish) == (["/a:/b"], ["K=V"], "1g",
                                                                   ["80:80"])
    assert args.command == ["sh", "-c", "echo -d -t"]
    assert cli.parse(["run-image", "-it", "img"]).tty
    assert cli.parse(["stop", "-t", "3", "c"]).time == 3
    assert cli.parse(["image", "load", "--name", "n", "f.tar"]).subcommand == "image load"
    with pytest.raises(cli.UsageError, match="image needs one of: load, ls, rm, save"):
        cli.parse(["image", "pull", "x"])
    with pytest.raises(cli.UsageError, match="unknown flag -tx"):
        cli.parse(["run-image", "-tx", "img"])  # not every letter a switch: no bundling


def test_a_tree_as_a_tar(tmp_path):
    import io
    import socket
    import tarfile
    from libcontainer.images.tree_tar import write_tar
    tree = tmp_path / "tree"
    (tree / "b").mkdir(parents=True)
    (tree / "b" / "file").write_bytes(b"content")
    os.link(tree / "b" / "file", tree / "a-link")
    secret = tmp_path / "outside"
    secret.write_bytes(b"not for the tar")
    (tree / "c").symlink_to(secret)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tree / "sock"))
        out = io.BytesIO()
        write_tar(str(tree), out)
    out.seek(0)
    with tarfile.open(fileobj=out) as tar:
        members = {m.name: m for m in tar.getmembers()}
        # Each directory's entries sorted, then its subdirectories'; no socket.
        assert list(members) == ["a-link", "b", "c", "b/file"]
        assert members["a-link"].isreg() and tar.extractfile("a-link").read() == b"content"
        assert members["b/file"].islnk() and members["b/file"].linkname == "a-link"
        assert members["c"].issym() and members["c"].linkname == str(secret)
    assert b"not for the tar" not in out.getvalue()
