"""special-core's config files: ``--read-config FILE`` and ``--write-config FILE``.

CoreNEURON reads and writes them with CLI11: one ``name=value`` per line, ``name`` an option's
long name without its dashes (``tstop=7``, ``cell-permute=1``), strings in double quotes,
flags as ``true``; ``;`` and ``#`` begin comments, ``[section]`` lines group names. Options on
the command line win over the file's. ``--write-config`` writes the options given (those not
at their defaults), and the run goes on, as special-core does.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import NoReturn

from .errors import UsageError, quote

MAX_CONFIG_BYTES = 1 << 20  # some hundred options at most: a larger file is not one
_TRUE = {"true", "on", "yes", "1"}
_FALSE = {"false", "off", "no", "0"}
_SELF = {"read-config", "write-config"}  # CoreNEURON writes write-config=... too


def _long_options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """Each option's long name (without --) and its action."""
    found: dict[str, argparse.Action] = {}
    for action in parser._actions:  # argparse has no public list of its actions
        for flag in action.option_strings:
            if flag.startswith("--"):
                found.setdefault(flag[2:], action)
    return found


def config_argv(path: str, parser: argparse.ArgumentParser) -> list[str]:
    """The command-line words a config file stands for; UsageError names file and line."""
    from .io.text import read_bounded

    try:
        text = read_bounded(path, MAX_CONFIG_BYTES, "a config file", UsageError).decode()
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} at byte {exc.start}: not a text file") from None
    options = _long_options(parser)
    words: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in ";#" or (line.startswith("[") and line.endswith("]")):
            continue
        name, eq, value = line.partition("=")
        name, value = name.strip(), value.strip()
        if not eq or not name:
            raise UsageError(f"{path}:{lineno}: expected name=value, found {quote(line)}")
        if name in _SELF:
            continue
        action = options.get(name)
        if action is None:
            raise UsageError(f"{path}:{lineno}: unknown option {quote(name)}")
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        flag = f"--{name}"
        if action.nargs == 0:  # a flag: true or false
            if value.lower() in _TRUE:
                words.append(flag)
            elif value.lower() not in _FALSE:
                raise UsageError(f"{path}:{lineno}: {name} is a flag: true or false, found "
                                 f"{quote(value)}")
        else:
            words += [flag, value]
    return words


def config_text(ns: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    """The options of ns that differ from their defaults, as special-core writes them."""
    lines = []
    for name, action in _long_options(parser).items():
        if name in _SELF or action.dest in ("help", "version"):
            continue
        value = getattr(ns, action.dest, None)
        if value is None or value == action.default or value is False:
            continue
        if value is True:
            text = "true"
        elif isinstance(value, str):
            text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        else:
            text = repr(value)
        lines.append(f"{name}={text}")
    return "\n".join(lines) + "\n"


def write_config(path: str, ns: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Write ns's options to path, atomically, with the umask's mode."""
    from pathlib import Path

    from .io.out_dat import write_atomically

    target = Path(path)
    if not target.parent.is_dir():
        raise UsageError(f"--write-config: folder {quote(str(target.parent))} does not exist")
    write_atomically(target, config_text(ns, parser))


class _Probe(argparse.ArgumentParser):
    """Finds --read-config before the real parse; its errors are the CLI's one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def with_config(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str]:
    """argv with the words of its --read-config FILE in front (the command line wins)."""
    probe = _Probe(add_help=False)
    probe.add_argument("--read-config")
    known, _ = probe.parse_known_args(list(argv))
    if known.read_config is None:
        return list(argv)
    if "\0" in known.read_config or not os.path.exists(known.read_config):
        raise UsageError(f"--read-config: no such file {quote(known.read_config)}")
    return config_argv(known.read_config, parser) + list(argv)
