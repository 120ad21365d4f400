"""Cut a document's text into passages that follow its structure.

Vietnamese administrative and legal texts are built of Phần/Chương/Mục/Điều and
numbered headings (DOMAIN.md); a passage never runs across an article or a
chapter, and is a few hundred syllables at most, which is what the e5 model reads
(512 tokens, about 300 Vietnamese syllables). A long article is cut at paragraph,
then sentence, boundaries and its heading is repeated on each part, so every
passage says what it is about. The document's title leads the first passage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Syllables (whitespace-separated words) per passage: the target and the ceiling.
TARGET_WORDS = 180
MAX_WORDS = 260
# A passage shorter than this is merged with the next block of the same article.
MIN_WORDS = 25
# Passages embedded per document: beyond this the rest of a very long text is not
# embedded (lexical search still covers all of it).
MAX_PASSAGES = 150

# A line that opens a new unit: "Điều 5.", "Chương II", "Mục 3", "Phần I", "PHỤ LỤC".
_UNIT = re.compile(r"^\s*(?:Điều\s+\d+[a-zđ]?\b|Chương\s+[IVXLC\d]+\b|Mục\s+\d+\b|"
                   r"Phần\s+(?:thứ\s+\w+|[IVXLC\d]+)\b|PHỤ\s+LỤC\b|Phụ\s+lục\b|"
                   r"[IVX]{1,5}\.\s+\S)", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZĐÀ-Ỹ0-9\"“(a-zđ]\)?)")
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Passage:
    heading: str | None  # the unit it belongs to ("Điều 5. Xử phạt vi phạm"), if any
    text: str  # what is embedded (the heading repeated at the start of later parts)


def cut(text: str, title: str = "", max_passages: int = MAX_PASSAGES) -> list[Passage]:
    """Passages of ``text`` in reading order; the title alone when there is no text."""
    units = _units(text or "")
    passages: list[Passage] = []
    for heading, paragraphs in units:
        passages += _pack(heading, paragraphs)
        if len(passages) >= max_passages:
            break
    passages = passages[:max_passages]
    title = " ".join((title or "").split())
    if title:
        if passages and not passages[0].text.startswith(title[:40]):
            first = passages[0]
            passages[0] = Passage(first.heading, f"{title}\n{first.text}")
        elif not passages:
            passages = [Passage(None, title)]
    return passages


def _units(text: str) -> list[tuple[str | None, list[str]]]:
    """(heading line, paragraphs) per structural unit; text before the first is a unit."""
    units: list[tuple[str | None, list[str]]] = [(None, [])]
    for raw in text.splitlines():
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        if _UNIT.match(line):
            units.append((line[:300], [line]))
        else:
            units[-1][1].append(line)
    return [(h, p) for h, p in units if p]


def _pack(heading: str | None, paragraphs: list[str]) -> list[Passage]:
    """Group paragraphs into passages of about TARGET_WORDS, never above MAX_WORDS."""
    pieces: list[str] = []
    for paragraph in paragraphs:
        pieces += _split_long(paragraph)
    passages, current, size = [], [], 0
    for piece in pieces:
        words = len(piece.split())
        if current and size + words > TARGET_WORDS and size >= MIN_WORDS:
            passages.append(current)
            current, size = [], 0
        current.append(piece)
        size += words
    if current:
        if passages and size < MIN_WORDS and \
                sum(len(p.split()) for p in passages[-1]) + size <= MAX_WORDS:
            passages[-1] += current  # a short tail joins the part before it
        else:
            passages.append(current)
    out = []
    for n, part in enumerate(passages):
        body = "\n".join(part)
        if n and heading:
            body = f"{heading[:120]}\n{body}"  # later parts still say which article
        out.append(Passage(heading, body))
    return out


def _split_long(paragraph: str) -> list[str]:
    """A paragraph longer than MAX_WORDS, cut at sentences, then at MAX_WORDS words."""
    if len(paragraph.split()) <= MAX_WORDS:
        return [paragraph]
    pieces: list[str] = []
    for sentence in _SENTENCE.split(paragraph):
        words = sentence.split()
        while len(words) > MAX_WORDS:
            pieces.append(" ".join(words[:TARGET_WORDS]))
            words = words[TARGET_WORDS:]
        if words:
            pieces.append(" ".join(words))
    return pieces
