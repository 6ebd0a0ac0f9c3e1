"""Settings refuse impossible values when they are made, with one clear message."""

from __future__ import annotations

import re

import pytest

from narrate.errors import UsageError
from narrate.settings import AudioSettings, TagSettings, bitrate_kbps


@pytest.mark.parametrize("date", ["2024-05-03", "2024-02-29", "2024-12-31", "2024-05", "2024"])
def test_real_dates_are_taken(date: str) -> None:
    assert TagSettings(date=date).date == date


@pytest.mark.parametrize(
    ("date", "reason"),
    [
        ("2024-13-01", "month must be in 1..12"),
        ("2024-00-10", "month must be in 1..12"),
        ("2024-02-30", "day is out of range for month"),
        ("2023-02-29", "day is out of range for month"),
        ("2024-04-31", "day is out of range for month"),
        ("2024-05-00", "day is out of range for month"),
        ("2024-13", "month must be in 1..12"),
        ("0000-01-01", "year 0 is out of range"),
    ],
)
def test_impossible_dates_are_usage_errors(date: str, reason: str) -> None:
    with pytest.raises(UsageError) as caught:
        TagSettings(date=date)
    assert str(caught.value) == f"bad date {date!r}: {reason} (write a real date as YYYY-MM-DD)"
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    "date", ["03.05.2024", "2024-5-3", "2024/05/03", "", "2024-05-03T10:00", "2024-05-03\n"]
)
def test_dates_in_another_form_are_usage_errors(date: str) -> None:
    with pytest.raises(UsageError, match="write it as YYYY-MM-DD"):
        TagSettings(date=date)


@pytest.mark.parametrize(("bitrate", "kbps"), [("1k", 1), ("64k", 64), ("999k", 999)])
def test_bitrates_are_whole_kilobits(bitrate: str, kbps: int) -> None:
    assert bitrate_kbps(bitrate) == kbps
    assert AudioSettings(bitrate=bitrate).bitrate == bitrate


@pytest.mark.parametrize(
    "bitrate", ["0k", "000k", "-5k", "abc", "64", "64kb", "1000k", "6.5k", "", "64k\n"]
)
def test_nonsense_bitrates_are_usage_errors(bitrate: str) -> None:
    with pytest.raises(UsageError, match=re.escape(f"bad bitrate {bitrate!r}")):
        AudioSettings(bitrate=bitrate)
