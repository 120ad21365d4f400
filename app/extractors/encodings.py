"""Legacy Vietnamese 8-bit font encodings: TCVN3 (ABC) and VNI.

Before Unicode, Vietnamese offices typed with fonts that re-drew Latin-1 code
points as Vietnamese letters: ``.VnTime``/``.VnArial`` (TCVN3, also called ABC)
and ``VNI-Times`` (VNI). Word, LibreOffice, PDF text layers and text files give
those code points back as Windows-1252 characters, i.e. mojibake:

- TCVN3: one byte per letter, ``§¶ng bé`` for ``Đảng bộ``, ``c¸c`` for ``các``;
  uppercase headings were typed in lowercase codes with a ``.VnTimeH`` font, so
  they convert to lowercase (the font's case cannot be recovered from the text);
- VNI: base letter + one mark byte, ``Ñaûng boä`` for ``Đảng bộ``.

:func:`fix_legacy_encoding` finds words that are not Vietnamese syllables as
they are but become valid syllables once decoded, and converts:

- the whole text when most words with non-ASCII letters convert (a document
  typed entirely in one legacy font), or
- only those words when a Unicode document holds some legacy runs (a header
  pasted from an old file), and only when there are at least a few of them.

The encoders (:func:`to_tcvn3`, :func:`to_vni`) build test data from real
sentences.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["FixResult", "fix_legacy_encoding", "from_tcvn3", "from_vni", "to_tcvn3", "to_vni"]

# --- TCVN3 (ABC): Unicode letter -> the Windows-1252 character of its byte ---------

_TCVN3_LOWER = {
    "à": "µ", "á": "¸", "ả": "¶", "ã": "·", "ạ": "¹",
    "ă": "¨", "ằ": "»", "ắ": "¾", "ẳ": "¼", "ẵ": "½", "ặ": "Æ",
    "â": "©", "ầ": "Ç", "ấ": "Ê", "ẩ": "È", "ẫ": "É", "ậ": "Ë",
    "đ": "®",
    "è": "Ì", "é": "Ð", "ẻ": "Î", "ẽ": "Ï", "ẹ": "Ñ",
    "ê": "ª", "ề": "Ò", "ế": "Õ", "ể": "Ó", "ễ": "Ô", "ệ": "Ö",
    "ì": "×", "í": "Ý", "ỉ": "Ø", "ĩ": "Ü", "ị": "Þ",
    "ò": "ß", "ó": "ã", "ỏ": "á", "õ": "â", "ọ": "ä",
    "ô": "«", "ồ": "å", "ố": "è", "ổ": "æ", "ỗ": "ç", "ộ": "é",
    "ơ": "¬", "ờ": "ê", "ớ": "í", "ở": "ë", "ỡ": "ì", "ợ": "î",
    "ù": "ï", "ú": "ó", "ủ": "ñ", "ũ": "ò", "ụ": "ô",
    "ư": "\u00ad", "ừ": "õ", "ứ": "ø", "ử": "ö", "ữ": "÷", "ự": "ù",
    "ỳ": "ú", "ý": "ý", "ỷ": "û", "ỹ": "ü", "ỵ": "þ",
}
# The only uppercase letters TCVN3 has; others were typed with a .VnTimeH font.
_TCVN3_UPPER = {"Ă": "¡", "Â": "¢", "Đ": "§", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦"}
_TCVN3_ENC = {**_TCVN3_LOWER, **_TCVN3_UPPER}
_TCVN3_DEC = {v: k for k, v in _TCVN3_ENC.items()}

# --- VNI Windows: base letter + mark character --------------------------------------

# Marks after a vowel, lowercase / uppercase: tone only; circumflex + tone; breve + tone.
_VNI_TONE = {"": ("", ""), "\u0301": ("ù", "Ù"), "\u0300": ("ø", "Ø"), "\u0309": ("û", "Û"),
             "\u0303": ("õ", "Õ"), "\u0323": ("ï", "Ï")}
_VNI_CIRC = {"": ("â", "Â"), "\u0301": ("á", "Á"), "\u0300": ("à", "À"), "\u0309": ("å", "Å"),
             "\u0303": ("ã", "Ã"), "\u0323": ("ä", "Ä")}
_VNI_BREVE = {"": ("ê", "Ê"), "\u0301": ("é", "É"), "\u0300": ("è", "È"), "\u0309": ("ú", "Ú"),
              "\u0303": ("ü", "Ü"), "\u0323": ("ë", "Ë")}
# i and the dot-below y have single characters.
_VNI_I = {"": ("i", "I"), "\u0301": ("í", "Í"), "\u0300": ("ì", "Ì"), "\u0309": ("æ", "Æ"),
          "\u0303": ("ó", "Ó"), "\u0323": ("ò", "Ò")}


def _build_vni() -> dict[str, str]:
    enc: dict[str, str] = {"đ": "ñ", "Đ": "Ñ"}
    for tone in _VNI_TONE:
        for case in (0, 1):
            up = bool(case)

            def put(letter: str, code: str) -> None:
                letter = unicodedata.normalize("NFC", letter + tone)
                enc[letter.upper() if up else letter] = code

            for base in "aeouy":
                b = base.upper() if up else base
                if base == "y" and tone == "\u0323":
                    put("y", "Î" if up else "î")
                    continue
                put(base, b + _VNI_TONE[tone][case])
            for base in "aeo":  # â ê ô
                b = base.upper() if up else base
                put(base + "\u0302", b + _VNI_CIRC[tone][case])
            put("a\u0306", ("A" if up else "a") + _VNI_BREVE[tone][case])  # ă
            put("o\u031b", ("Ô" if up else "ô") + _VNI_TONE[tone][case])     # ơ
            put("u\u031b", ("Ö" if up else "ö") + _VNI_TONE[tone][case])     # ư
            put("i", _VNI_I[tone][case])
    return {k: v for k, v in enc.items() if k != v}


_VNI_ENC = _build_vni()
_VNI_DEC = {v: k for k, v in _VNI_ENC.items()}
_VNI_DEC_RE = re.compile("|".join(sorted(map(re.escape, _VNI_DEC), key=len, reverse=True)))


def to_tcvn3(text: str) -> str:
    """Unicode -> TCVN3 as Windows-1252 characters (``.encode("cp1252")`` gives the
    bytes). Uppercase letters TCVN3 lacks are written in lowercase, as the
    ``.VnTimeH`` fonts expect."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3_ENC:
            out.append(_TCVN3_ENC[ch])
        elif ch.lower() in _TCVN3_LOWER:
            out.append(_TCVN3_LOWER[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def to_vni(text: str) -> str:
    """Unicode -> VNI Windows as Windows-1252 characters."""
    return "".join(_VNI_ENC.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def from_tcvn3(text: str) -> str:
    return "".join(_TCVN3_DEC.get(ch, ch) for ch in text)


def from_vni(text: str) -> str:
    return _VNI_DEC_RE.sub(lambda m: _VNI_DEC[m.group(0)], text)


# --- detection ---------------------------------------------------------------------


@dataclass
class FixResult:
    text: str
    encoding: str | None = None      # "tcvn3" / "vni" when converted
    converted: int = 0               # words converted
    quality: float | None = None     # share of valid syllables among the words judged


@lru_cache(maxsize=8)
def _token_re(codec: str) -> re.Pattern[str]:
    """Runs of ASCII letters and the characters bytes 0xA1-0xFF decode to in *codec*."""
    chars = bytes(range(0xA1, 0x100)).decode(codec, errors="ignore")
    chars = "".join(sorted(set(chars) - set(" \u00a0")))
    return re.compile("[A-Za-z" + re.escape(chars) + "]+")


# Latin-1 characters that Vietnamese Unicode text does not use (TCVN3/VNI marks).
_VI_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_SUSPECT = set(bytes(range(0xA1, 0x100)).decode("cp1252")) - _VI_LATIN1

# At least this many words must convert before a mostly-Unicode text is touched.
MIN_CONVERTED_WORDS = 5
# Share of words with non-ASCII letters that must convert for a whole-text conversion.
WHOLE_TEXT_SHARE = 0.5


def _recode(token: str, codec: str) -> str | None:
    """The token as Windows-1252 characters (the font's view of the bytes)."""
    if codec == "cp1252":
        return token
    try:
        raw = token.encode(codec)
    except UnicodeEncodeError:
        return None
    return raw.decode("cp1252", errors="ignore")


def _all_caps(s: str, minimum: int) -> bool:
    """At least *minimum* ASCII letters, all uppercase."""
    letters = [c for c in s if c.isascii() and c.isalpha()]
    return len(letters) >= minimum and all(c.isupper() for c in letters)


def fix_legacy_encoding(text: str, codec: str = "cp1252") -> FixResult:
    """Detect TCVN3/VNI words in *text* (decoded with *codec*) and convert them."""
    from app.recognition.syllables import is_syllable

    if codec == "cp1252":
        # cheap pre-filter: legacy text is full of characters Vietnamese Unicode never uses
        if sum(1 for ch in text if ch in _SUSPECT) < 3:
            return FixResult(text)
        # decomposed Unicode (NFD) would split words into fragments; TCVN3/VNI text
        # has no combining marks, so composing first changes nothing for it
        text = unicodedata.normalize("NFC", text)
    token_re = _token_re(codec)
    judged = 0
    # per encoding: [valid after conversion, valid only after conversion, valid either way]
    stats = {"tcvn3": [0, 0, 0], "vni": [0, 0, 0]}
    seen: dict[str, tuple[bool, str | None, str | None]] = {}
    for m in token_re.finditer(text):
        tok = m.group(0)
        if tok.isascii():
            continue
        if tok not in seen:
            raw = _recode(tok, codec)
            if raw is None:
                seen[tok] = (True, None, None)
            else:
                t3, vn = from_tcvn3(raw), from_vni(raw)
                seen[tok] = (is_syllable(unicodedata.normalize("NFC", tok)),
                             t3 if is_syllable(t3) else None,
                             vn if is_syllable(vn) else None)
        ok_as_is, t3, vn = seen[tok]
        judged += 1
        for enc, conv in (("tcvn3", t3), ("vni", vn)):
            st = stats[enc]
            st[0] += conv is not None
            st[1] += conv is not None and not ok_as_is
            st[2] += conv is not None or ok_as_is
    if not judged:
        return FixResult(text)
    enc = max(stats, key=lambda e: (stats[e][1], stats[e][0]))
    valid_after, only_after, either = stats[enc]
    whole = only_after >= judged * WHOLE_TEXT_SHARE
    if only_after < 2 or (not whole and only_after < MIN_CONVERTED_WORDS):
        return FixResult(text)
    decode = from_tcvn3 if enc == "tcvn3" else from_vni
    converted = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal converted
        tok = m.group(0)
        if tok.isascii():
            return tok
        ok_as_is, t3, vn = seen[tok]
        conv = t3 if enc == "tcvn3" else vn
        if whole:
            raw = _recode(tok, codec)
            if raw is None:
                return tok
            out = conv if conv is not None else decode(raw)
        elif conv is not None and not ok_as_is:
            out = conv
        else:
            return tok
        converted += 1
        if enc == "tcvn3" and _all_caps(tok, 2):
            out = out.upper()  # "THµNH" (a .VnTimeH heading) -> THÀNH, not THàNH
        return out

    new = token_re.sub(repl, text)
    if enc == "tcvn3":
        # a heading line typed in capitals: the TCVN3 letters were lowercase codes
        new = "\n".join(n.upper() if n != o and _all_caps(o, 4) else n
                         for o, n in zip(text.split("\n"), new.split("\n")))
    good = valid_after if whole else either
    return FixResult(new, enc, converted, round(min(1.0, good / judged), 3))
