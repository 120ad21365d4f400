"""Vietnamese text normalisation for display, indexing and querying.

Elasticsearch here only has core analysis (standard tokenizer + lowercase; no
asciifolding, no ICU), so every Vietnamese-specific rule lives in this module
and must be applied identically at index time and at query time:

* ``normalize``      - display-safe cleanup (NFC, one tone-mark placement, odd
                       spaces and invisible characters); keeps case.
* ``search_form``    - the "exact" indexed form: normalize + lowercase.
* ``fold``           - the diacritic-less indexed form: ``nhân quyền`` -> ``nhan quyen``.
* ``syllable_variants`` - every accented spelling of a folded syllable, for
                       highlighting diacritic-less queries.
* ``normalize_number_symbol`` - comparison key for ``1079/QĐ-TTg`` style symbols.

All functions are pure and safe on arbitrary Unicode input.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator

__all__ = [
    "normalize",
    "fold",
    "search_form",
    "has_diacritics",
    "syllable_variants",
    "normalize_number_symbol",
]

# --- character tables ---------------------------------------------------------

# Tone order: ngang (none), huyền, sắc, hỏi, ngã, nặng.
_TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_BASE_VOWELS = "aăâeêioôơuưy"

_TONED: dict[tuple[str, int], str] = {}   # (base vowel, tone) -> precomposed char
for _base in _BASE_VOWELS + _BASE_VOWELS.upper():
    for _tone, _mark in enumerate(_TONE_MARKS):
        _TONED[_base, _tone] = unicodedata.normalize("NFC", _base + _mark)

# Invisible or look-alike characters. Zero-width characters and soft hyphens come
# out of Word/PDF extraction inside words ("quy\u00adđịnh") and silently break
# matching; exotic spaces come from HTML (&nbsp;) and PDF layout. Hyphen and
# en-dash variants are unified because document symbols are typed with all of
# them ("QĐ‑TTg" with U+2011). The em dash is kept: it is sentence punctuation
# in display text, never part of a symbol, and the tokenizer drops it anyway.
# U+00D0 (Icelandic Eth) is visually identical to Đ and appears in text converted
# from legacy Vietnamese encodings; a Vietnamese archive has no real Eth.
_SPECIAL_MAP: dict[str, str] = {
    **dict.fromkeys("\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff", ""),
    **dict.fromkeys("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                    "\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " "),
    "\u2028": "\n", "\u2029": "\n",
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u201b", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f", '"'),
    "\u00d0": "\u0110",
}
_SPECIAL_RE = re.compile("[" + re.escape("".join(_SPECIAL_MAP)) + "]")

# --- canonical tone placement ---------------------------------------------------
#
# Only the glide clusters oa, oe, uy in an OPEN syllable are placed differently by
# the two conventions: traditional "hòa, khỏe, thủy, ủy" vs. "new style" "hoà,
# khoẻ, thuỷ, uỷ". We canonicalise to the TRADITIONAL placement because it is what
# most legal/government text uses: in ../shared/corpus (DOCX, HTML, seeds) about
# 2,040 open oa/oe/uy syllables are traditional vs 544 new-style, and documents
# mix both (the Civil Code has "thỏa" and "thoả"). Fewer indexed characters
# change, and display text keeps the style readers of these documents expect.
# With a final consonant or another vowel after the cluster both conventions
# agree (hoàn, huỳnh, hoài, khuỷu), so there we only repair the plainly misplaced
# "hòan/hùynh" spellings. Known cost: a foreign name that looks like a Vietnamese
# open oe/oa/uy syllable ("Noé") gets the Vietnamese placement ("Nóe").
#
# "qu" and "gi" are consonants: in "quý" the u is not a glide, so the uy rule must
# not fire (it would produce the wrong "qúy"); the initial list therefore has no
# q/qu, and the lookbehind demands the cluster start a word or follow a real
# Vietnamese initial, which also keeps foreign words ("João", "Joé") untouched.
def _ci(word: str) -> str:
    return "".join(f"[{c}{c.upper()}]" for c in word)


def _both(chars: str) -> str:
    return "[" + chars + chars.upper() + "]"


# Hand-rolled case-insensitivity instead of re.IGNORECASE, and the match starts
# with a plain character class followed by fixed-width lookbehinds for the
# initial: that lets the regex engine skip ahead with a fast charset scan, which
# made the pass ~10x faster (about 10 ms per MB instead of ~100 ms).
_LETTER = r"(?:[^\W\d_]|[\u0300-\u036f])"  # combining marks count: NFC may attach them
_INITIAL_BY_LEN = (
    "",
    _both("bcdđghklmnprstvx"),
    "(?:" + "|".join(_ci(i) for i in "ng nh ch gh gi kh ph th tr".split()) + ")",
    _ci("ngh"),
)
_AFTER_INITIAL = "(?:" + "|".join(
    rf"(?<=(?<!{_LETTER}){init}..)" for init in _INITIAL_BY_LEN) + ")"
_TAIL = (rf"(?:{_both('iyouê')}?(?:{_ci('ng')}|{_ci('nh')}|{_ci('ch')}|{_both('cmnpt')})"
         rf"|{_both('iyoua')})")
_TONE_FIX_RE = re.compile(
    _both("ouòóỏõọùúủũụ") + "(?:"
    # open syllable, tone on the second vowel: hoà -> hòa, thuỷ -> thủy
    + rf"(?<=[oO]){_both('àáảãạèéẻẽẹ')}(?!{_LETTER})"
    + rf"|(?<=[uU]){_both('ỳýỷỹỵ')}(?!{_LETTER})"
    # followed by a final or glide, tone on the first vowel: hòan -> hoàn
    + rf"|(?<={_both('òóỏõọ')})[aeAE](?={_TAIL}(?!{_LETTER}))"
    + rf"|(?<={_both('ùúủũụ')})[yY](?={_TAIL}(?!{_LETTER}))"
    + ")" + _AFTER_INITIAL
)


def _tone_swaps() -> dict[str, str]:
    """Every two-letter cluster the regex can match -> its canonical spelling."""
    swaps = {}
    for firsts, seconds in (("oO", "aeAE"), ("uU", "yY")):
        for first, second, tone in itertools.product(firsts, seconds, range(1, 6)):
            canonical_open = _TONED[first, tone] + second            # hòa, thủy
            canonical_closed = first + _TONED[second, tone]          # hoàn, huỳnh
            swaps[first + _TONED[second, tone]] = canonical_open     # hoà -> hòa
            swaps[_TONED[first, tone] + second] = canonical_closed   # hòan -> hoàn
    return swaps


# A plain dict lookup per match: documents in the new style have a match every
# few words, so the replacement callback must stay trivial.
_TONE_SWAPS = _tone_swaps()


def _fix_tone(m: re.Match[str]) -> str:
    return _TONE_SWAPS[m.group()]


_ETH = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})
_DOUBLE_D = re.compile(r"Đ{2,}")


def repair_d(text: str) -> str:
    """Đ/đ where OCR or a legacy font gave the Icelandic eth (Ð, ð), and one Đ where
    OCR doubled it ("QĐÐ-UBND", "HĐÐĐND"): no Vietnamese word has two Đ in a row."""
    return _DOUBLE_D.sub("Đ", text.translate(_ETH))


def normalize(text: str) -> str:
    """Return display-safe canonical text: NFC, one tone placement, clean spaces.

    Case and punctuation are preserved; only invisible characters (zero-width,
    soft hyphen, BOM) are removed, so the result is at most as long as the input.
    Idempotent.
    """
    if _SPECIAL_RE.search(text):
        text = _SPECIAL_RE.sub(lambda m: _SPECIAL_MAP[m.group()], text)
    # Before the tone fix: it matches precomposed characters only, and decomposed
    # (NFD or "tổ hợp") input is common in extracted Word/PDF text.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _TONE_FIX_RE.sub(_fix_tone, text)


# --- folding ------------------------------------------------------------------------


def _build_fold_table() -> dict[int, int | None]:
    # đ/Đ have no Unicode decomposition, so NFD-based stripping would leave them;
    # map them (and the Eth look-alikes) explicitly.
    table: dict[int, int | None] = {ord(c): ord(b) for c, b in
                                    (("đ", "d"), ("Đ", "D"), ("ð", "d"), ("Ð", "D"))}
    for cp in itertools.chain(range(0x00C0, 0x0250), range(0x1E00, 0x1F00)):
        decomposed = unicodedata.normalize("NFD", chr(cp))
        if len(decomposed) > 1 and decomposed[0].isascii() and decomposed[0].isalpha():
            table[cp] = ord(decomposed[0])
    # Marks that NFC could not attach to anything (e.g. after İ.lower()).
    table.update(dict.fromkeys(range(0x0300, 0x0370)))
    return table


_FOLD_TABLE = _build_fold_table()
_DIACRITIC_RE = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in sorted(_FOLD_TABLE)) + "]")


def search_form(text: str) -> str:
    """Return the exact-diacritics indexed form: ``normalize`` + lowercase."""
    lowered = normalize(text).lower()
    # lower() can break NFC ("İ" + mark -> "i" + U+0307 + mark, out of canonical
    # order); re-normalising keeps search_form idempotent. Never hit by real text.
    if not unicodedata.is_normalized("NFC", lowered):
        lowered = normalize(lowered)
    return lowered


def fold(text: str) -> str:
    """Return the diacritic-less lowercase form (``Đảng bộ`` -> ``dang bo``).

    Length property: for text already equal to ``search_form(text)`` (NFC,
    lowercase, no invisible characters) every character maps to exactly one
    character, so offsets in the folded text are offsets in the original - which
    is what highlighting needs. Other input may shrink (invisible characters are
    removed by ``normalize``). Idempotent.
    """
    folded = search_form(text).translate(_FOLD_TABLE)
    # Removing a mark can expose a composable pair outside Latin (e.g. Arabic
    # alef + maddah); re-NFC so fold(fold(x)) == fold(x).
    if not unicodedata.is_normalized("NFC", folded):
        folded = unicodedata.normalize("NFC", folded)
    return folded


def has_diacritics(text: str) -> bool:
    """True if the text has an accented Latin letter (đ/Đ included) or a combining mark."""
    return _DIACRITIC_RE.search(text) is not None


# --- syllable variants --------------------------------------------------------------

_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
             "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
# "k" is not a Vietnamese final but is how minority-language place names are
# written (Đắk Lắk, Đắk Nông), which this archive's provinces use constantly.
_FINALS = ("ng", "nh", "ch", "c", "k", "m", "n", "p", "t", "")
_VOWEL_VARIANTS = {"a": "aăâ", "e": "eê", "o": "oôơ", "u": "uư", "i": "i", "y": "y"}
# Vowel nuclei (with their glides) that occur in Vietnamese spelling; used to
# prune impossible combinations such as "ưô" or an open "iê".
_OPEN_NUCLEI = frozenset(
    "a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua uê ui uơ "
    "uy ưa ưi ưu iêu yêu oai oao oay oeo uây uôi uya uyu ươi ươu".split())
_CLOSED_NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y iê yê uô ươ oa oă oe oo uâ uê uy uyê".split())
_NUCLEI_BEFORE_CH_NH = frozenset("a ê i y oa uê uy".split())
_STOP_FINALS = frozenset(("c", "ch", "k", "p", "t"))  # only sắc / nặng are possible


def _parse_syllable(folded: str) -> tuple[str, str, str] | None:
    """Split an ASCII syllable into (initial, vowel nucleus, final) or None."""
    if not folded.isascii() or not folded.isalpha():
        return None
    for initial in _INITIALS:
        if not folded.startswith(initial):
            continue
        rest = folded[len(initial):]
        for final in _FINALS:
            nucleus = rest[: len(rest) - len(final)]
            if rest.endswith(final) and nucleus and all(c in "aeiouy" for c in nucleus):
                return initial, nucleus, final
    return None


def is_syllable(folded: str) -> bool:
    """Whether a word without diacritics can be a Vietnamese syllable (``nguoi`` yes,
    ``news`` no)."""
    return _parse_syllable(folded.lower()) is not None


def _tone_index(nucleus: str, closed: bool) -> int:
    """Index of the vowel carrying the tone, per the canonical (traditional) rule."""
    marked = [i for i, c in enumerate(nucleus) if c in "ăâêôơư"]
    if marked:
        return marked[-1]  # ươ -> ơ, uyê -> ê, uâ -> â
    if len(nucleus) == 1:
        return 0
    if nucleus[:2] in ("oa", "oe", "uy"):
        return 0 if len(nucleus) == 2 and not closed else 1  # hòa, hoàn, hoài
    if closed:
        return len(nucleus) - 1
    return 1 if len(nucleus) == 3 else 0  # mía, múa, người (marked), ...


MAX_SYLLABLE_LETTERS = 10


def syllable_variants(syllable: str, limit: int = 200) -> list[str]:
    """Return the spellings (lowercase, canonical) that fold to ``syllable``.

    ``nhan`` -> ``nhan, nhàn, nhán, ..., nhân, nhận, ...``. The input may be
    folded or accented; it is folded first, and the folded form itself always
    comes first (it is what the user typed, and it is how abbreviations and
    foreign words such as "top" are spelled). Vowel nuclei that Vietnamese
    spelling does not allow, tones impossible before p/t/c/ch/k, and ă/â before
    ch/nh are pruned. Order is deterministic: initial d before đ, nucleus
    variants in a/ă/â, e/ê, o/ô/ơ, u/ư order, then tones ngang, huyền, sắc, hỏi,
    ngã, nặng. A token that is not a Vietnamese syllable (``qd``, ``hdnd``) only
    gets its d/đ variants, because abbreviations such as QĐ and HĐND are common.
    """
    folded = fold(syllable).strip()
    if not folded:
        return []
    if len(folded) > MAX_SYLLABLE_LETTERS:
        # No Vietnamese syllable is this long (nghiêng has 7 letters); the d/đ
        # expansion of an arbitrary long token would grow exponentially.
        return [folded]
    found = dict.fromkeys([folded])  # ordered set
    parsed = _parse_syllable(folded)
    candidates = (_accented(*parsed) if parsed else
                  _d_variants(folded) if folded.isascii() and folded.isalpha() else ())
    for candidate in candidates:
        if len(found) >= limit:
            break
        found.setdefault(candidate)
    return list(found)[:limit]


def _accented(initial: str, nucleus: str, final: str) -> Iterator[str]:
    closed = bool(final)
    valid = _CLOSED_NUCLEI if closed else _OPEN_NUCLEI
    tones = (2, 5) if final in _STOP_FINALS else range(6)
    for init in (("d", "đ") if initial == "d" else (initial,)):
        for letters in itertools.product(*(_VOWEL_VARIANTS[c] for c in nucleus)):
            variant = "".join(letters)
            if variant not in valid:
                continue
            if final in ("ch", "nh") and variant not in _NUCLEI_BEFORE_CH_NH:
                continue
            pos = _tone_index(variant, closed)
            for tone in tones:
                yield (init + variant[:pos] + _TONED[variant[pos], tone]
                       + variant[pos + 1:] + final)


def _d_variants(token: str) -> Iterator[str]:
    options = [("d", "đ") if c == "d" else (c,) for c in token]
    return ("".join(p) for p in itertools.product(*options))


# --- document number / symbol ------------------------------------------------------

_SEPARATOR_SPACES_RE = re.compile(r"\s*([/-])\s*")
_SO_PREFIX_RE = re.compile(r"^so\s*[:.]?\s*(?=\d)")
_LEADING_ZEROS_RE = re.compile(r"^0+(?=\d)")


def normalize_number_symbol(s: str) -> str:
    """Return the comparison key of a document number/symbol ("số và ký hiệu").

    ``1079/QĐ-TTg``, `` 1079 / qd - ttg ``, ``Số: 1079/QĐ–TTg`` -> ``1079/qd-ttg``;
    ``05/TB-UBND`` -> ``5/tb-ubnd``. Folded because users and older documents
    write QD for QĐ; leading zeros dropped because issuers pad inconsistently.
    """
    key = _SEPARATOR_SPACES_RE.sub(r"\1", fold(s))
    key = " ".join(key.split())
    key = _SO_PREFIX_RE.sub("", key)
    return _LEADING_ZEROS_RE.sub("", key)
