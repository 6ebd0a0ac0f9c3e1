"""The time formats every output shares."""

from __future__ import annotations

import pytest

from narrate.clock import clock, timestamp


@pytest.mark.parametrize(
    ("milliseconds", "shown"),
    [
        (0, "0:00"),
        (999, "0:00"),
        (59_999, "0:59"),
        (174_957, "2:54"),  # floored like a browser's time display, never rounded up
        (3_599_999, "59:59"),
        (3_600_000, "1:00:00"),
        (3_723_004, "1:02:03"),
    ],
)
def test_clock_floors_to_the_second(milliseconds: int, shown: str) -> None:
    assert clock(milliseconds) == shown


@pytest.mark.parametrize(
    ("milliseconds", "written"),
    [(0, "00:00:00.000"), (5_415, "00:00:05.415"), (3_723_004, "01:02:03.004")],
)
def test_timestamp_keeps_the_milliseconds(milliseconds: int, written: str) -> None:
    assert timestamp(milliseconds) == written
