"""Package data files: ``read_tsv`` names the file and the real line of a bad row."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.errors import ConfigError
from newsledger.resources import data_path, read_tsv, split_list


def test_a_bad_row_is_reported_at_its_line_in_the_file(tmp_path: Path):
    path = tmp_path / "table.tsv"
    path.write_text("# a comment\ncode\tname\n\nPRK\tNorth Korea\n# another\nKOR\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read_tsv(path)
    message = str(raised.value)
    assert f"{path}:6:" in message and "wrong number of columns" in message
    assert f"{path}:3:" not in message


def test_rows_skip_comments_and_blank_lines(tmp_path: Path):
    path = tmp_path / "table.tsv"
    path.write_text("code\tname\n# skip\n\nPRK\t North Korea \n", encoding="utf-8")
    assert read_tsv(path) == [{"code": "PRK", "name": "North Korea"}]


def test_split_list_and_data_path():
    assert split_list(" DPRK | Pyongyang ||") == ("DPRK", "Pyongyang")
    assert data_path("events", "cameo.tsv").is_file()
