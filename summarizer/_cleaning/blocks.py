"""Blocks: a long text cut at line breaks into pieces the steps take one at a time.

Pieces of a few hundred kilobytes reuse memory the process already has and stay in the
processor's cache, where each whole copy of a 100 MB page faulted in fresh memory, which
took longer than the cleaning itself; and only one block's edits are alive at a time.
`clean` cuts the text here once and hands each step the text around its block.
"""

from __future__ import annotations

import re

# How far around its block a step may read: more than `reflow` and `repeats` ever look.
AROUND_CHARS = 1 << 15


def around(blocks: list[str], i: int) -> tuple[str, str]:
    """AROUND_CHARS of the text before block `i` and after it (blocks can be shorter)."""
    before: list[str] = []
    j, need = i - 1, AROUND_CHARS
    while j >= 0 and need > 0:
        before.append(blocks[j][-need:])
        need -= len(before[-1])
        j -= 1
    after: list[str] = []
    j, need = i + 1, AROUND_CHARS
    while j < len(blocks) and need > 0:
        after.append(blocks[j][:need])
        need -= len(after[-1])
        j += 1
    return "".join(reversed(before)), "".join(after)


def starting_with_text(blocks: list[str]) -> list[str]:
    """Blocks merged until each but the first starts with a character that is not a space."""
    groups: list[list[str]] = []
    for block in blocks:
        if groups and (not block or block[0].isspace() or not groups[-1][-1].endswith("\n")):
            groups[-1].append(block)
        else:
            groups.append([block])
    return ["".join(group) for group in groups]


_BLOCK_END = re.compile(r"\n(?=\S)")


def cut_blocks(text: str, size: int) -> list[str]:
    """`text` cut into pieces of about `size` characters, each after a line break and (so
    that `starting_with_text` seldom has to merge them) before a character that is not
    a space."""
    blocks = []
    start = 0
    while True:
        found = _BLOCK_END.search(text, start + size)
        end = found.end() if found else len(text)
        blocks.append(text[start:end])
        if end >= len(text):
            return blocks
        start = end
