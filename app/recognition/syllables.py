"""Vietnamese syllable check, and repair of syllables split by stray spaces.

PDF text layers and OCR split words inside a syllable: ``Quy ết định``,
``đư ợc``, ``Truyền thô ng``, ``điề u``, ``t ối``. A clerk reads through that; a
regular expression does not. :func:`repair_splits` joins two neighbouring
tokens when the join is a well-formed Vietnamese syllable and the split is
of a kind that separate words do not produce:

* a token without a vowel (``t``, ``ng``) next to one with a vowel;
* a toneless open token followed by a toned token starting with a vowel
  (``Quy ết``, ``đư ợc``) - two real words in that position almost never
  spell a valid syllable together (``quy ước`` -> ``quyước`` is invalid);
* a toned open token that is not a syllable by itself followed by a toneless
  vowel (``điề u``).

Tokens must agree in case (``bà G`` and ``huyện C cấp`` stay apart).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aăâeêioôơuưy")
_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
             "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t",
             "v", "x", "")
# "k" as a final: minority-language place names (Đắk Lắk).
_FINALS = ("ng", "nh", "ch", "c", "k", "m", "n", "p", "t", "")
_STOP_FINALS = frozenset(("c", "ch", "k", "p", "t"))
# Same tables as app.text.vietnamese (kept here: those are private there).
_OPEN = frozenset(
    "a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua uê ui uơ "
    "uy ưa ưi ưu iêu yêu oai oao oay oeo uây uôi uya uyu ươi ươu".split())
_CLOSED = frozenset("a ă â e ê i o ô ơ u ư y iê yê uô ươ oa oă oe oo uâ uê uy uyê".split())
_BEFORE_CH_NH = frozenset("a ê i y oa uê uy".split())
# Vowel-initial words that follow an open syllable in ordinary text ("do ảnh
# hưởng", "khu ấy"): never glued to the token before them.
_WORDS_AFTER_OPEN = frozenset(
    "ảnh ấy ý ông ở ăn uống ổn ích ít ấp ảo ẩn ưu ước ấm ốm ấn ứng ủy ủng ẩm em anh "
    "ai ạ ơi ồn áo ấu ổ ốc út ống ừ ồ".split())
_PUNCT_LEAD = re.compile(r"^[(\[“\"'‘]+")
_PUNCT_TAIL = re.compile(r"[)\]”\"'’,;:.!?…]+$")


@lru_cache(maxsize=65536)
def _split_tone(word: str) -> tuple[str, int]:
    """(base letters without tone marks, number of tone marks)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in decomposed if c in _TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return base, tones


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when *word* is a well-formed Vietnamese syllable (any case)."""
    if not word or not word.isalpha():
        return False
    base, tones = _split_tone(word)
    if tones > 1:
        return False
    for initial in _INITIALS:
        if not base.startswith(initial):
            continue
        rest = base[len(initial):]
        for final in _FINALS:
            if final and not rest.endswith(final):
                continue
            nucleus = rest[: len(rest) - len(final)]
            if not nucleus:
                continue
            if final in _STOP_FINALS and tones:
                # only sắc / nặng before a stop consonant
                marks = {c for c in unicodedata.normalize("NFD", word.lower())
                         if c in _TONE_MARKS}
                if not marks <= {"\u0301", "\u0323"}:
                    continue
            if final in ("ch", "nh") and nucleus not in _BEFORE_CH_NH:
                continue
            if nucleus in (_CLOSED if final else _OPEN):
                return True
    return False


def has_vowel(word: str) -> bool:
    base, _ = _split_tone(word)
    return any(c in _VOWELS for c in base)


def _tone(word: str) -> int:
    return _split_tone(word)[1]


def _ends_with_vowel(word: str) -> bool:
    base, _ = _split_tone(word)
    return bool(base) and base[-1] in _VOWELS


def _starts_with_vowel(word: str) -> bool:
    base, _ = _split_tone(word)
    return bool(base) and base[0] in _VOWELS


def _case_ok(a: str, b: str) -> bool:
    if a.isupper() and b.isupper():
        return True
    if not b.islower():
        return False
    return a.islower() or (a[0].isupper() and (len(a) == 1 or a[1:].islower()))


def should_join(a: str, b: str) -> bool:
    """Whether the letter-only tokens *a* and *b* are one syllable split in two."""
    if not (a.isalpha() and b.isalpha()) or not _case_ok(a, b):
        return False
    joined = a + b
    va, vb = has_vowel(a), has_vowel(b)
    if not va and vb:
        # "t ối", "h iện"; a lone capital before a lowercase word is a variable
        # ("huyện C cấp"), not a fragment.
        if len(a) == 1 and a.isupper() and not b.isupper():
            return False
        return is_syllable(joined)
    if va and not vb:
        return _ends_with_vowel(a) and is_syllable(joined)        # "thô ng"
    if va and vb and _ends_with_vowel(a) and _starts_with_vowel(b) \
            and b.lower() not in _WORDS_AFTER_OPEN:
        ta, tb = _tone(a), _tone(b)
        if ta == 0 and tb > 0:                                     # "Quy ết"
            return is_syllable(joined)
        if ta > 0 and tb == 0 and not is_syllable(a):              # "điề u"
            return is_syllable(joined)
    return False


@lru_cache(maxsize=65536)
def _core(token: str) -> tuple[str, str, str]:
    """(leading punctuation, letters, trailing punctuation) of a token."""
    lead = _PUNCT_LEAD.match(token)
    lead_s = lead.group() if lead else ""
    rest = token[len(lead_s):]
    tail = _PUNCT_TAIL.search(rest)
    tail_s = tail.group() if tail else ""
    return lead_s, rest[: len(rest) - len(tail_s)], tail_s


def repair_splits(line: str) -> str:
    """Join syllables split by a stray space in one line of text."""
    tokens = line.split(" ")
    if len(tokens) < 2:
        return line
    out: list[str] = [tokens[0]]
    for i, tok in enumerate(tokens[1:], start=1):
        prev = out[-1]
        if not _may_join(prev, tok):
            out.append(tok)
            continue
        p_lead, p_core, p_tail = _core(prev)
        b_lead, b_core, b_tail = _core(tok)
        if (not p_tail and not b_lead and p_core and b_core
                and should_join(p_core, b_core)
                and not _belongs_right(b_core, b_tail, tokens, i)):
            out[-1] = p_lead + p_core + b_core + b_tail
        else:
            out.append(tok)
    return " ".join(out)


@lru_cache(maxsize=65536)
def _shape(token: str) -> tuple[bool, bool, bool]:
    """(has a vowel, first char is a vowel, last char is a vowel), cheaply."""
    base = unicodedata.normalize("NFD", token.lower())
    letters = [c for c in base if c.isalpha()]
    vowel = [c in "aeiouy" for c in letters]
    return any(vowel), bool(vowel) and vowel[0], bool(vowel) and vowel[-1]


def _may_join(a: str, b: str) -> bool:
    """A quick necessary condition for should_join (most pairs fail it)."""
    va, _, a_ends = _shape(a)
    vb, b_starts, _ = _shape(b)
    return not va or not vb or (a_ends and b_starts)


def _belongs_right(core: str, tail: str, tokens: list[str], i: int) -> bool:
    """A vowel-less fragment that also starts the next token's syllable goes
    there: "đã m ất" is "đã mất", not "đãm ất"."""
    if has_vowel(core) or tail or i + 1 >= len(tokens):
        return False
    n_lead, n_core, _ = _core(tokens[i + 1])
    return not n_lead and bool(n_core) and should_join(core, n_core)
