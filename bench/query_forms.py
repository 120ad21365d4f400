"""Two extra query forms for bench/search_quality.py: short keyword searches and paraphrases.

``keyword(q)``: the question cut to its content syllables, as a person types a short
search (``Người lao động được nghỉ bao nhiêu ngày?`` -> ``lao động nghỉ ngày``).
``paraphrase(q)``: the question reworded with a fixed table of legal near-synonyms
(``Doanh nghiệp bị xử phạt như thế nào?`` -> ``Công ty bị phạt ra sao?``).

Both are deterministic and pure (no model, no network): NFC in, NFC out, matching on
whole syllables, case-insensitive and blind to the tone-mark placement (thoả/thỏa)
through ``app.text.vietnamese.search_form``. They are evaluation devices that make the
ALQAC questions harder for lexical search, not search features: ``app/`` must not use them.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.text.vietnamese import search_form  # noqa: E402

# A token is a syllable, a number with separators (5.000.000, 14/9/2022) or a
# document symbol (1079/QĐ-TTg), so numbers and symbols survive as one unit.
_TOKEN = re.compile(r"\d+(?:[.,/]\d+)+|\w+(?:[/\-]\w+)*")
_key = search_form  # the matching key: NFC, lowercase, one tone placement


def _phrases(entries) -> dict[tuple[str, ...], object]:
    return {tuple(_key(w) for w in phrase.split()): value for phrase, value in entries}


def _tokens(text: str) -> list[tuple[re.Match, str, bool]]:
    """(match, key, clause_ends_after) for every token of *text*. A gap holding anything
    but spaces ends a clause: phrases never span "," or "?"."""
    matches = list(_TOKEN.finditer(text))
    out = []
    for i, m in enumerate(matches):
        gap = text[m.end(): matches[i + 1].start()] if i + 1 < len(matches) else "."
        out.append((m, _key(m.group()), bool(gap.strip())))
    return out


def _match(tokens, i: int, table: dict, longest: int) -> tuple[int, object] | None:
    """Longest phrase of *table* starting at token *i* and staying inside one clause."""
    end = i
    while end < len(tokens) and end - i < longest:
        end += 1
        if tokens[end - 1][2]:
            break
    for n in range(end - i, 0, -1):
        key = tuple(t[1] for t in tokens[i:i + n])
        if key in table:
            return n, table[key]
    return None


# --- keyword -------------------------------------------------------------------------

# Question words, particles, pronouns, prepositions and conjunctions: what a person
# leaves out of a short search.
STOP_SYLLABLES = frozenset(_key(w) for w in """
    ai nào gì đâu mấy thì là có được của và các những cho với trong khi nếu mà về
    đến tới từ đã sẽ đang bị do bởi vì để tại ở hay hoặc cũng vẫn còn đó này kia ấy
    đây mỗi mọi phải cần nên theo như việc sự cái ta tôi họ mình nó chúng hãy xin
    rằng lại rồi nhé ạ vậy nhằm hả chăng người thuộc một
""".split())  # "người", "thuộc", "một" (a): in most ALQAC questions, useless as keywords

# Multi-syllable question and filler phrases, dropped as a whole (longest first), so
# "bao" and "sao" themselves stay content syllables (bao vây, bản sao).
STOP_PHRASES = _phrases((p, True) for p in """
    đúng hay sai|hay không|hay chưa|được không|có phải|có phải là|như thế nào|thế nào
    như nào|ra sao|tại sao|vì sao|làm sao|là gì|là ai|làm gì|những gì|điều gì|việc gì
    cái gì|bao nhiêu|bao lâu|bao giờ|khi nào|lúc nào|ở đâu|nơi nào|nào sau đây|sau đây
    dưới đây|điều nào|trường hợp nào|trong trường hợp|trường hợp|có thể|liên quan đến
    đối với|kể từ|một trong những|một trong các|một trong|cho tôi hỏi|tôi muốn hỏi
    xin hỏi|cho biết|được gọi là|gọi là|điền vào|theo quy định của pháp luật
    theo quy định của luật|theo quy định của|theo quy định|quy định tại|theo pháp luật
    như vậy|như thế|sau khi|trước khi|quy định|bao gồm|cụ thể|bất kỳ|bất cứ
""".replace("\n", "|").split("|") if p.strip())

# Words containing a stop syllable that are content words themselves: they are
# matched before the stop lists and kept whole (không gian mạng, cho vay, tự do).
KEEP_PHRASES = _phrases((p, False) for p in """
    không gian|không khí|không quân|cho vay|cho thuê|cho mượn|cho tặng|cho phép
    của cải|tự do|theo dõi|theo đuổi|hiện tại|tồn tại|từ chối|từ bỏ|từ chức|từ thiện
    từ trần|cần thiết|công việc|việc làm|làm việc|ngừng việc|thôi việc|vụ việc|sự việc
    dân sự|hình sự|quân sự|nhân sự|sự cố|sự kiện|sự vụ|sự nghiệp|đương sự|đến hạn
    thử việc|lý do|tự mình|chỗ ở|nhà ở|nơi ở|bị cáo|bị can|bị hại|bị đơn|thiết bị
    trang bị|chuẩn bị|về hưu|họ tên|họ hàng|dòng họ|tại ngoại|từ điển|lợi thế
""".replace("\n", "|").split("|") if p.strip())

_KEYWORD_TABLE = {**STOP_PHRASES, **KEEP_PHRASES}
_KEYWORD_LONGEST = max(map(len, _KEYWORD_TABLE))
_QUESTION_PARTICLES = frozenset({_key("không"), _key("chưa")})


def _content_units(tokens) -> list[tuple[int, int]]:
    """(first, end) token spans kept by the stop lists: single syllables or protected words."""
    units, i = [], 0
    while i < len(tokens):
        found = _match(tokens, i, _KEYWORD_TABLE, _KEYWORD_LONGEST)
        n, drop = found if found else (1, tokens[i][1] in STOP_SYLLABLES)
        if not drop:
            units.append((i, i + n))
        i += n
    # "không"/"chưa" closing a question ("... có được bồi thường không?") is a
    # particle; elsewhere it is a negation and carries meaning (không giam giữ).
    for k in range(len(units) - 1, -1, -1):
        first, end = units[k]
        closes = k + 1 == len(units) or any(t[2] for t in tokens[first:units[k + 1][0]])
        if end - first == 1 and tokens[first][1] in _QUESTION_PARTICLES and closes:
            del units[k]
    return units


# A question opening with its legal basis ("Theo Bộ luật Dân sự 2015, ...") puts the
# subject after it; the searcher types the subject. Heads of such leading clauses:
_CITATION_HEADS = (("theo",), ("căn", "cứ"), ("bộ", "luật"), ("luật",), ("nghị", "định"),
                   ("blds",), ("blhs",))
_NUMBERED_HEADS = frozenset({"điều", "khoản", "điểm"})  # only before a number: Điều 16


def _after_citations(tokens) -> int:
    """Index of the first token after the leading citation clauses (0 if none)."""
    start = 0
    while start < len(tokens):
        keys = tuple(t[1] for t in tokens[start:start + 2])
        numbered = keys[0] in _NUMBERED_HEADS and keys[1:2] and keys[1][:1].isdigit()
        if not numbered and not any(keys[:len(h)] == h for h in _CITATION_HEADS):
            break
        end = next(j + 1 for j in range(start, len(tokens)) if tokens[j][2])
        if end == len(tokens):
            break  # the citation is the whole question
        start = end
    return start


def _cut(words: list[str], glued_after: list[bool], limit: int) -> int:
    """Where to stop: after a dropped word near *limit*; else at an even count into the run
    of glued syllables (most words have two; a number stands alone); else at *limit*."""
    safe = [c for c in range(limit - 3, limit + 1) if c > 0 and not glued_after[c - 1]]
    if safe:
        return max(safe)
    start = 0
    for c in range(1, limit + 1):
        if not glued_after[c - 1] or words[c - 1][:1].isdigit():
            start = c
        elif c < len(words) and words[c][:1].isdigit():
            start = c  # the number after c starts a new run
    for c in (limit, limit - 1):
        if (c - start) % 2 == 0 and c - start > 0:
            return c
    return limit


def keyword(question: str, max_syllables: int | None = 8) -> str:
    """The content syllables of *question*, in order, separated by single spaces.

    ALQAC questions run to 20-40 syllables, and nobody types that much into a search
    box: a two-syllable sequence said again (thông tin ... thông tin) is kept once,
    and the result stops after *max_syllables*, where possible at a point where
    something was dropped, which cannot split a word (the subject comes first)."""
    tokens = _tokens(unicodedata.normalize("NFC", question))
    units = _content_units(tokens)
    start = _after_citations(tokens)
    rest = [u for u in units if u[0] >= start]
    if sum(end - first for first, end in rest) >= 3:
        units = rest
    # (syllable, key, glued, locked): glued = may form one word with the next kept
    # syllable (nothing dropped between); locked = inside a protected word.
    kept: list[tuple[str, str, bool, bool]] = []
    for k, (first, end) in enumerate(units):
        single_next = (k + 1 < len(units) and end - first == 1 and units[k + 1][0] == end
                       and units[k + 1][1] - end == 1 and not tokens[first][2])
        for j in range(first, end):
            locked = j + 1 < end
            kept.append((tokens[j][0].group(), tokens[j][1], locked or single_next, locked))
    words: list[str] = []
    glued_after: list[bool] = []  # a cut after this word could split a word
    locked_after: list[bool] = []  # a cut after this word would split a protected word
    seen: set[tuple[str, str]] = set()
    j = 0
    while j < len(kept):
        word, key, glued, locked = kept[j]
        if glued:
            pair = (key, kept[j + 1][1])
            if pair in seen:
                if glued_after:
                    glued_after[-1] = False
                j += 2
                continue
            seen.add(pair)
        words.append(word)
        glued_after.append(glued)
        locked_after.append(locked)
        j += 1
    if max_syllables and len(words) > max_syllables:
        cut = _cut(words, glued_after, max_syllables)
        while cut > 1 and locked_after[cut - 1]:
            cut -= 1
        words = words[:cut]
        # A negation left last by the cut reads as a question particle: drop it.
        while words and _key(words[-1]) in _QUESTION_PARTICLES:
            words.pop()
    return " ".join(words)


# --- paraphrase ----------------------------------------------------------------------

# EVALUATION DEVICE, NOT A SEARCH FEATURE: near-synonyms common in legal questions,
# used only to reword benchmark questions so that a search cannot rely on the exact
# words of the statute. Replacing the archive's queries with these would be wrong:
# several pairs are only near in meaning. Longest match first, whole syllables.
SYNONYMS = (
    # question phrasing
    ("bao nhiêu", "mấy"), ("như thế nào", "ra sao"), ("thế nào", "ra sao"),
    ("đúng hay sai", "có đúng không"), ("là gì", "nghĩa là gì"), ("khi nào", "lúc nào"),
    ("được gọi là", "có tên là"), ("gọi là", "có tên là"), ("tại sao", "vì sao"),
    ("là ai", "là người nào"), ("có phải", "liệu có phải"),
    ("những gì", "điều gì"), ("có thể bị", "có khả năng bị"), ("trường hợp", "tình huống"),
    ("nào sau đây", "nào dưới đây"), ("đối với", "với"), ("liên quan đến", "dính líu tới"),
    # rules and authorities
    ("theo quy định của pháp luật", "theo luật"), ("theo quy định của", "theo"),
    ("theo quy định", "theo luật"), ("được quy định", "được nêu"), ("quy định tại", "nêu tại"),
    ("cơ quan nhà nước có thẩm quyền", "cơ quan chức năng"), ("nghiêm cấm", "cấm"),
    ("cơ quan nhà nước", "cơ quan công quyền"), ("có thẩm quyền", "có quyền hạn"),
    ("nhà nước", "chính quyền"), ("bí mật nhà nước", "bí mật quốc gia"), ("tòa án", "tòa"),
    ("Ủy ban nhân dân", "UBND"), ("tòa án nhân dân", "tòa án"), ("thẩm phán", "quan tòa"),
    ("được phép", "có quyền"), ("không được phép", "bị cấm"), ("không được", "bị cấm"),
    ("có quyền", "được quyền"), ("có nghĩa vụ", "phải"), ("nghĩa vụ", "bổn phận"),
    ("chịu trách nhiệm", "gánh trách nhiệm"), ("áp dụng", "vận dụng"),
    ("thực hiện", "tiến hành"), ("giải quyết", "xử lý"), ("yêu cầu", "đòi hỏi"),
    ("đăng ký", "khai báo"), ("xác định", "ấn định"), ("mục đích", "mục tiêu"),
    ("bảo đảm", "đảm bảo"), ("đảm bảo", "bảo đảm"), ("bảo vệ", "bảo hộ"),
    ("sử dụng", "dùng"), ("cung cấp", "đưa ra"), ("điều kiện", "tiêu chuẩn"),
    ("thời hạn", "kỳ hạn"), ("tối đa", "cao nhất"), ("tối thiểu", "ít nhất"),
    ("hằng năm", "mỗi năm"), ("hằng tuần", "mỗi tuần"),
    # penalties and courts
    ("xử phạt", "phạt"), ("phạt tù", "phạt giam"), ("phạt tiền", "nộp phạt"),
    ("tù chung thân", "tù suốt đời"), ("tử hình", "xử tử"), ("hình phạt", "mức phạt"),
    ("người phạm tội", "kẻ phạm tội"), ("vi phạm", "làm trái"), ("hành vi", "hành động"),
    ("người bị hại", "nạn nhân"), ("kháng cáo", "chống án"), ("khởi kiện", "kiện"),
    ("bản án", "án"), ("tranh chấp", "xung đột"), ("ma túy", "chất gây nghiện"),
    ("cai nghiện", "điều trị nghiện"), ("Bộ luật Hình sự", "luật hình sự"),
    ("Bộ luật Dân sự", "luật dân sự"), ("Bộ luật Lao động", "luật lao động"),
    # people, work and property
    ("người lao động", "nhân viên"), ("người sử dụng lao động", "giới chủ"),
    ("doanh nghiệp", "công ty"), ("công dân", "người dân"), ("cá nhân", "người"),
    ("người nước ngoài", "ngoại kiều"), ("người chưa thành niên", "trẻ vị thành niên"),
    ("chưa thành niên", "dưới 18 tuổi"), ("trẻ em", "trẻ nhỏ"), ("người học", "học viên"),
    ("tiền lương", "lương"), ("nghỉ hưu", "về hưu"), ("ngày làm việc", "ngày công"),
    ("kinh doanh", "làm ăn"), ("mua bán", "buôn bán"), ("tài sản", "của cải"),
    ("bất động sản", "nhà đất"), ("đất đai", "đất"), ("nhà ở", "chỗ ở"),
    ("chủ sở hữu", "người chủ"), ("quyền sở hữu", "quyền làm chủ"),
    ("hợp đồng", "giao kèo"), ("thỏa thuận", "giao ước"), ("đơn phương", "một phía"),
    ("chấm dứt", "kết thúc"), ("hủy bỏ", "bãi bỏ"), ("bồi thường", "đền bù"),
    ("thiệt hại", "tổn thất"), ("kết hôn", "cưới"), ("ly hôn", "ly dị"),
    ("di chúc", "chúc thư"), ("người thừa kế", "người hưởng di sản"),
    ("cư trú", "sinh sống"), ("Việt Nam", "nước ta"), ("thông tin", "tin tức"),
    ("an ninh mạng", "an toàn không gian mạng"), ("không gian mạng", "môi trường mạng"),
    ("dữ liệu cá nhân", "thông tin cá nhân"), ("tổ chức tín dụng", "ngân hàng"),
)

_PARAPHRASE_TABLE = _phrases(SYNONYMS)
_PROPER = frozenset(tuple(_key(w) for w in src.split()) for src, _ in SYNONYMS
                    if src[:1].isupper())
_PARAPHRASE_LONGEST = max(map(len, _PARAPHRASE_TABLE))


def paraphrase(question: str) -> str:
    """*question* with every table phrase replaced (longest match first, one pass)."""
    text = unicodedata.normalize("NFC", question)
    tokens = _tokens(text)
    out, pos, i = [], 0, 0
    while i < len(tokens):
        found = _match(tokens, i, _PARAPHRASE_TABLE, _PARAPHRASE_LONGEST)
        if not found:
            i += 1
            continue
        n, target = found
        start, end = tokens[i][0].start(), tokens[i + n - 1][0].end()
        source = tuple(t[1] for t in tokens[i:i + n])
        # A capital that came from the sentence position moves to the new words; a
        # proper noun's capital (Việt Nam -> nước ta) does not, except at the start.
        if text[start].isupper() and (source not in _PROPER or not text[:start].strip()):
            target = target[:1].upper() + target[1:]
        out += [text[pos:start], target]
        pos, i = end, i + n
    out.append(text[pos:])
    return unicodedata.normalize("NFC", "".join(out))


def substituted(question: str) -> bool:
    """Whether paraphrase() changes *question* (for the share reported by the bench)."""
    return paraphrase(question) != unicodedata.normalize("NFC", question)
