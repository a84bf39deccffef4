"""out.dat is sorted by time then gid, formatted %.8g<TAB>%d, and written atomically."""

import numpy as np
import pytest

from pycoreneuron.errors import UsageError
from pycoreneuron.io.out_dat import write_out_dat


def test_sorted_by_time_then_gid_and_formatted_as_coreneuron(tmp_path):
    times = np.array([2.8250000001000064, 1.0, 2.8250000001000064, 0.33000000000000007])
    gids = np.array([7, 3, 2, 11])
    path = write_out_dat(tmp_path, times, gids)
    assert path.read_text() == "0.33\t11\n1\t3\n2.825\t2\n2.825\t7\n"


def test_exact_times_order_before_formatting(tmp_path):
    # Two times that print the same keep their exact order, not their gid order.
    times = np.array([1.00000000001, 1.0])
    path = write_out_dat(tmp_path, times, np.array([1, 2]))
    assert path.read_text() == "1\t2\n1\t1\n"


def test_a_missing_output_directory_is_made(tmp_path):
    path = write_out_dat(tmp_path / "new" / "run", np.array([1.0]), np.array([0]))
    assert path == tmp_path / "new" / "run" / "out.dat" and path.read_text() == "1\t0\n"


def test_an_output_path_that_cannot_be_a_folder_leaves_nothing(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="cannot make the output directory"):
        write_out_dat(tmp_path / "file" / "sub", np.array([1.0]), np.array([0]))
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_no_temporary_file_left_after_success(tmp_path):
    write_out_dat(tmp_path, np.array([]), np.array([], dtype=int))
    assert [p.name for p in tmp_path.iterdir()] == ["out.dat"]
    assert (tmp_path / "out.dat").read_text() == ""
