"""Escaping third-party text for the Markdown bodies we generate.

Text from government pages is untrusted: in a Markdown body it could inject HTML or links. We
escape HTML first, then every Markdown punctuation character, so it renders as the literal text.
It may also hold personal numbers: they are masked first (govcensus_data.masking), before escaping
puts backslashes between their digit groups.
"""
from __future__ import annotations

import html
import re

from govcensus_data.masking import mask_text

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def escape_markdown(text: str) -> str:
    one_line = mask_text(" ".join(str(text).split()))
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(one_line, quote=False))
