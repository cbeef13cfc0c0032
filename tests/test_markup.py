"""markup: what the body keeps of pasted text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator import markup

# Letters, the controls and noncharacters of both planes, and astral characters near them.
ODD = st.sampled_from(["a", "ß", " ", "\n", "\x0b", "\x00", "\x85", "\ufdd0", "\ufffe",
                       "\U0001f600", "\U0001fffe", "\U0001ffff", "\U0010fffd", "\U0010ffff"])


@given(st.lists(ODD | st.characters(), max_size=30).map("".join))
def test_drop_unwanted_removes_what_the_pattern_finds(text):
    assert markup.drop_unwanted(text) == markup.UNWANTED.sub("", text)
    assert not markup.UNWANTED.search(markup.drop_unwanted(text))


@given(st.lists(ODD | st.characters(), max_size=30).map("".join))
def test_find_unwanted_finds_what_the_pattern_finds_first(text):
    found, expected = markup.find_unwanted(text), markup.UNWANTED.search(text)
    assert (found and (found.start(), found.group())) == (
        expected and (expected.start(), expected.group()))
