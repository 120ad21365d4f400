"""HTML extraction with BeautifulSoup (lxml tree builder).

- Charset: BOM, then ``<meta charset>``/XML declaration, then UTF-8, then detection
  (see :func:`app.extractors.text.decode_bytes`).
- Removes script, style, noscript, template, head and other non-text elements;
  keeps block structure as line breaks (each block, list item and table cell on
  its own line); inline whitespace is collapsed as a browser would (except ``pre``).
- Main content preference: ``#toanvancontent`` (vbpl.vn full text; its parent
  block is taken when it only adds the header tables and the signer block), a
  single ``article``, ``main``/``[role=main]``, else ``body``.
"""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from bs4.element import CData, NavigableString, Tag

from .base import TOO_LARGE, ExtractionError, ExtractionResult, Parser
from .text import declared_html_charset, decode_bytes, legacy_codec

_JUNK = (
    "script", "style", "noscript", "template", "head", "title", "meta", "link",
    "iframe", "object", "embed", "svg", "math", "canvas", "select", "button",
    "input", "textarea", "map", "audio", "video", "source", "track", "picture",
)
_BLOCK = frozenset("""
address article aside blockquote body caption center dd details dialog dir div dl dt
fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header hgroup hr
html legend li main menu nav ol p pre section summary table tbody td tfoot th thead tr ul
""".split())
_WS_RE = re.compile(r"[ \t\n\r\f\v]+")
# Largest header+signer block that may come with #toanvancontent when we take its parent.
_PARENT_SLACK_CHARS = 5000


def _text_len(el: Tag) -> int:
    return len(el.get_text(" ", strip=True))


def _main_content(soup: BeautifulSoup) -> tuple[Tag, str]:
    content = soup.find(id="toanvancontent")
    if isinstance(content, Tag) and _text_len(content):
        parent = content.parent
        if (isinstance(parent, Tag) and parent.name not in ("body", "html", "[document]")
                and _text_len(parent) <= _text_len(content) + _PARENT_SLACK_CHARS):
            return parent, "#toanvancontent (with header/signer block)"
        return content, "#toanvancontent"
    articles = soup.find_all("article")
    if len(articles) == 1 and _text_len(articles[0]):
        return articles[0], "article"
    for el in (soup.find("main"), soup.find(attrs={"role": "main"})):
        if isinstance(el, Tag) and _text_len(el):
            return el, el.name
    body = soup.body
    if isinstance(body, Tag):
        return body, "body"
    return soup, "document"


def html_to_text(root: Tag) -> str:
    """Text of *root* with block elements on their own lines (iterative walk).

    Nested block boundaries collapse into a single line break (as in a browser);
    ``<br>`` always breaks, so ``<br><br>`` still gives a blank line.
    """
    out: list[str] = []

    def newline() -> None:
        if out and out[-1] != "\n":
            out.append("\n")

    # stack items: (node, in_pre, closing)
    stack: list[tuple[object, bool, bool]] = [(root, False, False)]
    while stack:
        node, in_pre, closing = stack.pop()
        if closing:
            newline()
            continue
        if isinstance(node, NavigableString):
            # Comments, doctypes, processing instructions... are NavigableString subclasses.
            if type(node) is NavigableString or isinstance(node, CData):
                s = str(node) if in_pre else _WS_RE.sub(" ", str(node))
                if s == " " and (not out or out[-1].endswith("\n")):
                    continue  # inter-block whitespace
                if s:
                    out.append(s)
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name == "br":
            out.append("\n")
            continue
        if name in _BLOCK:
            newline()
            stack.append((node, in_pre, True))
        child_pre = in_pre or name == "pre"
        for child in reversed(node.contents):
            stack.append((child, child_pre, False))
    return "".join(out)


_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr "
                  "p li td tr th option".split())  # void, or often left unclosed


def nesting_depth(markup: str) -> int:
    """How deep elements nest, from the tags alone (cheap; before any tree is built).

    Deeply nested markup is a classic way to make parsers spend time and
    memory; real pages rarely go past a few dozen levels.
    """
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(markup):
        if name.lower() in _VOID or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


class HtmlParser(Parser):
    media_types = ("text/html", "application/xhtml+xml")
    method = "html"

    def _extract(self, path: Path) -> ExtractionResult:
        data = path.read_bytes()
        if len(data) > self.limits.max_chars * 8:
            raise ExtractionError(TOO_LARGE, f"{len(data)} bytes of HTML")
        markup, encoding, warnings = decode_bytes(data, declared_html_charset(data))
        depth = nesting_depth(markup)
        if depth > self.limits.max_html_depth:
            raise ExtractionError(TOO_LARGE, f"HTML nested {depth} levels deep, "
                                             f"limit is {self.limits.max_html_depth}")
        self.legacy_codec = legacy_codec(encoding)
        soup = BeautifulSoup(markup, "lxml")
        for el in soup.find_all(_JUNK):
            el.decompose()
        root, _where = _main_content(soup)
        text = html_to_text(root)
        self.check_chars(len(text))
        return ExtractionResult(text=text, page_count=None, method=self.method,
                                warnings=warnings)


# Site chrome around an article: menus, banners, sidebars, footers, share and
# comment boxes. Two saved copies of one story differ mostly here.
_CHROME_TAGS = ("nav", "aside", "footer", "form", "header")
_CHROME_HINT = re.compile(r"(^|[-_ ])(menu|nav|navbar|sidebar|breadcrumbs?|footer|banner|"
                          r"advert|ads?|share|social|comments?|related|most-read|"
                          r"subscribe|cookie)($|[-_ ])", re.I)


def article_text(data: bytes, max_depth: int = 1000) -> str:
    """The main text of a saved article page, without the site's chrome.

    Used to compare copies of one story saved from different sites; the
    document's full extracted text (with chrome) is what search indexes.
    """
    markup, _encoding, _warnings = decode_bytes(data, declared_html_charset(data))
    if nesting_depth(markup) > max_depth:
        raise ExtractionError(TOO_LARGE, "HTML nested too deeply")
    soup = BeautifulSoup(markup, "lxml")
    for el in soup.find_all(_JUNK):
        el.decompose()
    for el in soup.find_all(_CHROME_TAGS):
        # An article's own header holds its headline: keep it.
        if not (el.name == "header" and el.find_parent("article")):
            el.decompose()
    for el in soup.find_all(True):
        if el.decomposed:
            continue
        hints = " ".join([el.get("id") or ""] + list(el.get("class") or []))
        if hints.strip() and _CHROME_HINT.search(hints) and el.name not in ("body", "html",
                                                                             "article", "main"):
            el.decompose()
    root, where = _main_content(soup)
    if where in ("body", "document"):
        # No article/main markup (table-laid portals): take the block holding
        # the most paragraph text, as readability tools do.
        root = _densest_block(soup) or root
    return html_to_text(root).strip()


def _densest_block(soup: BeautifulSoup) -> Tag | None:
    best, best_chars = None, 0
    for parent in {p.parent for p in soup.find_all("p") if isinstance(p.parent, Tag)}:
        chars = sum(_text_len(p) for p in parent.find_all("p", recursive=False))
        if chars > best_chars:
            best, best_chars = parent, chars
    return best
