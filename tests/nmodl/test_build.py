"""pycoreneuron-nrnivmodl: translate + compile a folder, cached by content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pycoreneuron.nmodl import cli, library
from pycoreneuron.nmodl.build import build

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    c = tmp_path / "cache"
    monkeypatch.setenv("PYCORENEURON_CACHE", str(c))
    return c


def test_halfgap_builds_then_hits_the_cache(tmp_path: Path, cache: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    mods = tmp_path / "mod"
    shutil.copytree(REPO / "examples" / "ringtest" / "mod", mods)
    assert cli.main([str(mods)]) == 0
    assert capsys.readouterr().out.startswith("built: ")
    assert cli.main([str(mods)]) == 0
    assert "cache hit" in capsys.readouterr().out
    lib, built = build(mods)
    assert not built
    _, descs = library.load(lib)
    d = descs["HalfGap"]
    assert (d.data_size, d.dparam_size, d.kind, d.electrode_current) == (5, 2, 1, 1)
    # a changed file is a new library
    (mods / "halfgap.mod").write_text((mods / "halfgap.mod").read_text() + "\n: edited\n")
    _, built = build(mods)
    assert built


def test_translation_error_names_file_and_line(tmp_path: Path, cache: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.mod").write_text("NEURON { SUFFIX bad }\nBREAKPOINT {\n  x = = 1\n}\n")
    assert cli.main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'bad.mod'}:3: syntax error" in err


def test_steadystate_is_not_supported_yet(tmp_path: Path, cache: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "kin.mod").write_text(
        "NEURON { SUFFIX kin }\nSTATE { a b }\nINITIAL { SOLVE k STEADYSTATE derivimplicit }\n"
        "BREAKPOINT { SOLVE k METHOD sparse }\nKINETIC k {\n ~ a <-> b (1, 2)\n}\n")
    assert cli.main([str(tmp_path)]) == 1
    assert f"{tmp_path / 'kin.mod'}:3: SOLVE k STEADYSTATE derivimplicit is not supported yet" in \
        capsys.readouterr().err


def test_empty_folder_is_an_error(tmp_path: Path, cache: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([str(tmp_path)]) == 1
    assert "no .mod files" in capsys.readouterr().err


def test_a_call_into_neurons_c_api_is_refused_at_its_mod_line(tmp_path: Path,
                                                               cache: Path) -> None:
    """VecStim's VERBATIM calls vector_capacity(): refused when building, with the MOD line,
    not a failed dlopen when the run starts."""
    from pycoreneuron.nmodl.errors import NmodlError

    mods = tmp_path / "mod"
    mods.mkdir()
    (mods / "api.mod").write_text(
        "NEURON { SUFFIX api }\nASSIGNED { x }\nINITIAL {\nVERBATIM\n"
        "  x = hoc_call_something(3);\nENDVERBATIM\n}\n")
    # (GCC 14 already rejects the implicit declaration when compiling: the same MOD line)
    with pytest.raises(NmodlError, match=r"api.mod:5: .*hoc_call_something"):
        build(mods)
