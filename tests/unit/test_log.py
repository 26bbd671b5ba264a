"""--log, --log-format and --debug: where errors, warnings and debug lines go."""
import json

import pytest

from libcontainer import diagnostics
from libcontainer.errors import PyruncError
from runtime.log import Log


def test_the_log_file_is_created_even_when_nothing_is_written(tmp_path):
    Log(str(tmp_path / "log"), "json")
    assert (tmp_path / "log").read_text() == ""


def test_warnings_go_only_to_the_log(tmp_path, capsys):
    log = Log(str(tmp_path / "log"), "json")
    log.warning("not applied yet: linux.intelRdt")
    assert capsys.readouterr() == ("", "")
    entry = json.loads((tmp_path / "log").read_text())
    assert (entry["level"], entry["msg"]) == ("warning", "not applied yet: linux.intelRdt")
    assert entry["time"].endswith("Z")


def test_without_a_log_warnings_are_not_printed(capsys):
    Log().warning("x")
    assert capsys.readouterr() == ("", "")


def test_errors_go_to_stderr_and_the_log(tmp_path, capsys):
    log = Log(str(tmp_path / "log"), "text")
    log.error('container "c1" does not exist')
    assert capsys.readouterr().err == 'pyrunc: container "c1" does not exist\n'
    line = (tmp_path / "log").read_text()
    assert line.startswith('time="') and line.endswith(
        ' level=error msg="container \\"c1\\" does not exist"\n')


def test_debug_lines_only_with_debug_and_to_the_log_when_there_is_one(tmp_path, capsys):
    Log(str(tmp_path / "quiet"), "json").debug("hidden")
    assert (tmp_path / "quiet").read_text() == ""
    Log(str(tmp_path / "log"), "json", debug=True).debug("shown")
    assert json.loads((tmp_path / "log").read_text())["msg"] == "shown"
    assert capsys.readouterr().err == ""
    Log(None, "text", debug=True).debug("on stderr")
    assert capsys.readouterr().err == "pyrunc: debug: on stderr\n"


def test_an_unwritable_log_is_a_one_line_error(tmp_path):
    with pytest.raises(PyruncError, match=r"^--log .*/absent/log: No such file or directory$"):
        Log(str(tmp_path / "absent" / "log"))


def test_diagnostics_reach_the_sink_the_cli_sets(tmp_path):
    log = Log(str(tmp_path / "log"), "json")
    diagnostics.set_sink(log)
    try:
        diagnostics.warning("w")
    finally:
        diagnostics.set_sink(diagnostics._Stderr())
    assert json.loads((tmp_path / "log").read_text())["msg"] == "w"
