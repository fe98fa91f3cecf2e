"""Repairing broken text (mojibake, literal escapes of UTF-8 bytes, entities left in text) with ftfy."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# Literal escapes of UTF-8 bytes ('\xe2\x80\x94' for an em dash) or of code points ('\u2019'), left by a feed that
# wrote a bytes object's repr. Decoded by hand, not with ftfy.fixes.decode_escapes: that one reads every
# backslash escape ('\n', '\t', '\\'), which changes real text such as a file path; here only runs that decode
# to non-ASCII UTF-8 are touched.
ESCAPED_BYTES_RE = re.compile(r"(?:\\x[0-9a-fA-F]{2})+|(?:\\u[0-9a-fA-F]{4})+")


def _unescape(m: re.Match[str]) -> str:
    raw = m.group(0)
    try:
        if raw[1] == "x":
            out = bytes.fromhex(raw.replace("\\x", "")).decode("utf-8")
        else:
            out = "".join(chr(int(raw[i + 2:i + 6], 16)) for i in range(0, len(raw), 6))
            out.encode("utf-8")  # a lone surrogate ('\ud83d') is not text
    except (UnicodeDecodeError, UnicodeEncodeError, ValueError):
        return raw
    return raw if out.isascii() else out


MOJIBAKE_STEPS = {"decode_inconsistent_utf8", "restore_byte_a0", "replace_lossy_sequences", "fix_c1_controls"}


@cache
def _ftfy_config() -> Any:
    from ftfy import TextFixerConfig

    # curly quotes, full-width forms and the like are the text as published: only breakage is repaired
    # (and no Unicode normalisation: 'cafe\u0301' stays as written, character for character)
    return TextFixerConfig(uncurl_quotes=False, fix_character_width=False, normalization=None, explain=True)


def repair(text: str, fixes: set[str] | None = None) -> str:
    """Broken text repaired before any stage sees it: literal '\\xNN' escapes of UTF-8 bytes, mojibake (UTF-8 read
    as windows-1252: 'â€™'), HTML entities left in the text ('&#8216;', '&amp;'). The names of the fixes made
    are added to ``fixes``. Offsets are taken on the repaired text, so spans stay true to the stored text."""
    import ftfy

    if "\\" in text:
        out = ESCAPED_BYTES_RE.sub(_unescape, text)
        if out != text and fixes is not None:
            fixes.add("escaped bytes")
        text = out
    if text.isascii() and "&" not in text:
        return text  # nothing ftfy could change: skip its cost on plain English
    fixed, steps = ftfy.fix_and_explain(text, _ftfy_config())
    if fixes is not None and fixed != text:
        for action, param in steps or []:
            fixes.add("html entities" if param == "unescape_html" else
                      "mojibake" if action in ("encode", "decode", "transcode") or param in MOJIBAKE_STEPS else
                      "unicode normalization" if action == "normalize" else str(param).replace("_", " "))
    return fixed
