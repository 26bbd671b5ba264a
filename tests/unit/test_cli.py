"""The command line parser: runc's flags, one-line usage errors."""
import pytest

from runtime import cli


def parse(*argv):
    return cli.parse(list(argv))


def test_global_flags_then_command_flags_and_id():
    args = parse("--root", "/r", "--log-format", "json", "run", "-d", "-b", "B", "--pid-file=P", "c1")
    assert (args.root, args.log_format, args.subcommand) == ("/r", "json", "run")
    assert (args.detach, args.bundle, args.pid_file, args.container_id) == (True, "B", "P", "c1")


def test_defaults():
    args = parse("create", "c1")
    assert args.bundle == "." and args.root is None and args.preserve_fds == 0
    assert args.console_socket is None and args.log_format == "text"


def test_exec_keeps_the_command_line_verbatim():
    args = parse("exec", "-e", "A=1", "--env", "B=2", "-t", "c1", "sh", "-c", "echo -e hi", "--cwd")
    assert args.env == ["A=1", "B=2"] and args.tty
    assert args.container_id == "c1"
    assert args.command == ["sh", "-c", "echo -e hi", "--cwd"]


def test_kill_signal_is_optional_with_sigterm_default():
    assert parse("kill", "c1").signal == "SIGTERM"
    args = parse("kill", "--all", "c1", "KILL")
    assert args.all and args.signal == "KILL"


def test_additional_gids_are_numbers():
    assert parse("exec", "-g", "5", "-g", "6", "c", "true").additional_gids == [5, 6]


@pytest.mark.parametrize("argv, message", [
    (["--root"], "--root needs a value"),
    (["frobnicate"], "unknown command 'frobnicate'"),
    (["start"], "start: missing argument container-id"),
    (["run", "--bogus", "c"], "run: unknown flag --bogus"),
    (["create", "--preserve-fds", "x", "c"], "create: --preserve-fds needs a number, got 'x'"),
    (["create", "--bundle"], "create: --bundle needs a value"),
    (["list", "--format", "xml"], "list: --format must be one of: table, json"),
    (["kill", "a", "b", "c"], "kill: unexpected argument 'c'"),
    (["delete", "--force=yes", "c"], "delete: --force takes no value"),
])
def test_usage_errors_are_one_line(argv, message):
    with pytest.raises(cli.UsageError) as info:
        cli.parse(argv)
    assert message in str(info.value) and "\n" not in str(info.value)
    assert not str(info.value).startswith("pyrunc")  # main() adds that prefix


def test_usage_errors_exit_1_and_unknown_commands_3_as_runc():
    with pytest.raises(cli.UsageError) as usage:
        cli.parse(["state"])
    assert usage.value.exit_status == 1
    for argv in (["frobnicate"], ["help", "frobnicate"]):
        with pytest.raises(cli.UnknownCommand) as unknown:
            args = cli.parse(argv)
            cli.help_topic(args.topic)
        assert unknown.value.exit_status == 3


def test_no_command_prints_the_help_and_succeeds(capsys):
    with pytest.raises(SystemExit) as info:
        cli.parse([])
    assert info.value.code == 0
    assert "usage: pyrunc" in capsys.readouterr().out


def test_help_topics_and_the_h_alias():
    assert cli.help_topic(None) == cli.help_text()
    assert cli.help_topic("update") == cli.help_text("update")
    assert cli.parse(["h"]).subcommand == "help"
    assert cli.parse(["help", "events"]).topic == "events"


def test_update_flags_are_kept_as_text_and_unset_ones_are_none():
    args = cli.parse(["update", "--memory", "100m", "--pids-limit=-1", "-r", "-", "c1"])
    assert (args.memory, args.pids_limit, args.resources) == ("100m", "-1", "-")
    assert args.cpu_share is None and args.container_id == "c1"


def test_events_flags():
    args = cli.parse(["events", "--interval", "2s", "--stats", "c1"])
    assert (args.interval, args.stats, args.container_id) == ("2s", True, "c1")
    assert cli.parse(["events", "c1"]).interval == "5s"


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as info:
        cli.parse(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for name in cli.COMMANDS:
        assert f"  {name} " in out


def test_command_help_lists_its_flags(capsys):
    with pytest.raises(SystemExit):
        cli.parse(["exec", "--help"])
    out = capsys.readouterr().out
    assert "usage: pyrunc exec [flags] container-id COMMAND [ARGS...]" in out
    assert "--console-socket PATH" in out and "--tty, -t" in out
