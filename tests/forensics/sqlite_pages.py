"""Read an SQLite file the way a forensic examiner would: pages, cell offsets, records.

Only what the anonymity tests need: b-tree leaf pages (table and index, so WITHOUT ROWID tables
too), the physical position of every cell, and the values of its record. No SQLite code is used,
so what these functions see is what is on disk, not what a query returns.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

INDEX_INTERIOR, INDEX_LEAF, TABLE_LEAF = 0x02, 0x0A, 0x0D


@dataclass(frozen=True)
class Cell:
    """One row as stored: which page, where in the page, and its decoded values."""

    page: int
    offset: int
    values: tuple[object, ...]


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + i + 1
    raise AssertionError("unreachable")


def _record(payload: bytes) -> tuple[object, ...]:
    header_size, at = _varint(payload, 0)
    types = []
    while at < header_size:
        serial, at = _varint(payload, at)
        types.append(serial)
    body = header_size
    values: list[object] = []
    for serial in types:
        if serial == 0:
            values.append(None)
        elif 1 <= serial <= 6:
            size = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}[serial]
            values.append(int.from_bytes(payload[body : body + size], "big", signed=True))
            body += size
        elif serial == 7:
            values.append(struct.unpack(">d", payload[body : body + 8])[0])
            body += 8
        elif serial in (8, 9):
            values.append(serial - 8)
        else:
            size = (serial - 12) // 2 if serial % 2 == 0 else (serial - 13) // 2
            raw = payload[body : body + size]
            values.append(bytes(raw) if serial % 2 == 0 else raw.decode("utf-8", "replace"))
            body += size
    return tuple(values)


def page_size(data: bytes) -> int:
    """The page size from the file header (1 means 65536)."""
    size = int.from_bytes(data[16:18], "big")
    return 65536 if size == 1 else size


def leaf_cells(data: bytes) -> Iterator[Cell]:
    """Every row-carrying cell (table leaves, index leaves and interiors), with its page and offset."""
    size = page_size(data)
    for number in range(1, len(data) // size + 1):
        start = (number - 1) * size
        header = start + (100 if number == 1 else 0)
        kind = data[header]
        if kind not in (INDEX_INTERIOR, INDEX_LEAF, TABLE_LEAF):
            continue
        count = int.from_bytes(data[header + 3 : header + 5], "big")
        pointers = header + (12 if kind == INDEX_INTERIOR else 8)
        for i in range(count):
            offset = int.from_bytes(data[pointers + 2 * i : pointers + 2 * i + 2], "big")
            at = start + offset + (4 if kind == INDEX_INTERIOR else 0)  # skip the left-child pointer
            payload_size, at = _varint(data, at)
            if kind == TABLE_LEAF:
                _, at = _varint(data, at)  # rowid
            payload = data[at : at + payload_size]  # small rows: no overflow pages in these tests
            try:
                values = _record(payload)
            except (IndexError, KeyError, ValueError):
                continue
            yield Cell(number, offset, values)


def cells_of(path: Path) -> list[Cell]:
    """The leaf cells of a database file (read raw)."""
    return list(leaf_cells(path.read_bytes()))


def physical_rank(cells: list[Cell]) -> list[Cell]:
    """Cells in the order an examiner would read arrival from: page, then newest-first offset."""
    return sorted(cells, key=lambda c: (c.page, c.offset))


def spearman(xs: list[int], ys: list[int]) -> float:
    """Rank correlation of two equal-length sequences of distinct values."""
    n = len(xs)
    rank_x = {v: i for i, v in enumerate(sorted(xs))}
    rank_y = {v: i for i, v in enumerate(sorted(ys))}
    d2 = sum((rank_x[x] - rank_y[y]) ** 2 for x, y in zip(xs, ys, strict=True))
    return 1 - 6 * d2 / (n * (n * n - 1))


def blob(value: object) -> bytes:
    """A BLOB column's value (cells hold decoded values of any SQLite type)."""
    assert isinstance(value, bytes), type(value)
    return value
