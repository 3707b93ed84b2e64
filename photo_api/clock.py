"""Time as museum puts it on the wire: Unix epoch microseconds."""

import time

MICROS_PER_SECOND = 1_000_000
MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND


def now_us() -> int:
    return time.time_ns() // 1000
