"""The fast JSON writer of the downloads writes the very bytes of the safe provider."""

import json

from hypothesis import given
from hypothesis import strategies as st

from kindness.web.safe_json import compact_bytes

# Any text, with lone surrogates (which orjson refuses) and DEL among them.
TEXT = st.text(st.characters(codec=None, blacklist_categories=()), max_size=30)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def reference(value) -> bytes:
    text = json.dumps(value, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode()


@given(st.lists(VALUES, max_size=5))
def test_the_same_bytes_as_json_dumps_with_html_escapes(value):
    assert compact_bytes(value) == reference(value)


def test_what_orjson_leaves_alone_is_escaped_after():
    data = compact_bytes(["für <Grüße> & 😀\x7f", 2**70])
    assert (
        data
        == b'["f\\u00fcr \\u003cGr\\u00fc\\u00dfe\\u003e \\u0026 \\ud83d\\ude00\\u007f",'
        + str(2**70).encode()
        + b"]"
    )
