"""The Vietnamese catalog is complete, well-formed and actually used by the app.

English is the msgid language and Vietnamese the default interface language,
so an untranslated string is an English word on a Vietnamese page. These
tests extract the messages from the sources exactly as ``babel.cfg`` says
(with the ``_l`` and ``lazy_gettext`` keywords, as on the pybabel command
line) and fail when one is missing from ``messages.po``. To fix a failure:

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext \
        -o app/translations/messages.pot .
    .venv/bin/pybabel update -i app/translations/messages.pot -d app/translations

then translate the new entries and remove any ``fuzzy`` flags.

No database, Redis or Elasticsearch is needed: the login page renders for an
anonymous visitor on an in-memory SQLite database.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

try:  # Babel >= 2.14
    from babel.messages.frontend import parse_mapping_cfg
except ImportError:  # pragma: no cover - older Babel
    from babel.messages.frontend import parse_mapping as parse_mapping_cfg

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "app" / "translations"
PO = TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
# The -k options of `pybabel extract` (lazy strings at import time).
EXTRA_KEYWORDS = ("_l", "lazy_gettext")

# A %-format conversion: %(name)s, %d, %5.2f, %%; a lone % is counted separately.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[a-zA-Z%]")


def _read_catalog():
    with PO.open("rb") as f:
        return read_po(f, locale="vi")


def _entries(catalog):
    return [m for m in catalog if m.id]


def _ids(message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    s = message.string
    return tuple(s) if isinstance(s, (list, tuple)) else (s,)


def _label(message) -> str:
    ctx = f" (context {message.context!r})" if message.context else ""
    return f"{_ids(message)[0]!r}{ctx}"


def compile_catalog_if_stale() -> bool:
    """Write messages.mo from messages.po when it is missing or older; True if written.

    Same result as `make translations`, so the suite also works in a fresh
    clone. Written to a temporary file and renamed, so a concurrent reader
    never sees half a file.
    """
    if MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime:
        return False
    catalog = _read_catalog()
    fd, tmp = tempfile.mkstemp(dir=MO.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalog)
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; the web server must read it
        os.replace(tmp, MO)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True


def extract_from_sources() -> dict[tuple[str, str | None], list[str]]:
    """Every message in the sources, as `pybabel extract -F babel.cfg` finds it.

    Returns {(msgid, context): ["path:line", ...]}.
    """
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    # Walk only the top-level folders the patterns can match (never .venv or var/).
    roots = {pattern.split("/", 1)[0] for pattern, _ in method_map}

    def directory_filter(dirpath: str) -> bool:
        rel = Path(os.path.relpath(dirpath, ROOT))
        if rel.name.startswith((".", "_")):
            return False
        return rel.parts[0] in roots if rel.parts else True

    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update({k: None for k in EXTRA_KEYWORDS})
    found: dict[tuple[str, str | None], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords,
            directory_filter=directory_filter):
        msgid = message[0] if isinstance(message, (list, tuple)) else message
        found.setdefault((msgid, context), []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalog():
    return _read_catalog()


@pytest.fixture(scope="module")
def dev_app():
    """The development app on an in-memory database, with a fresh compiled catalog."""
    from app import create_app
    from app.extensions import babel

    compiled = compile_catalog_if_stale()
    app = create_app("development", SQLALCHEMY_DATABASE_URI="sqlite://")
    if compiled:
        # Flask-Babel caches loaded catalogs per process on the shared Babel
        # instance; drop anything loaded before the .mo existed.
        with app.app_context():
            babel.domain_instance.cache.clear()
    return app


# --- the catalog file ---------------------------------------------------------------


def test_catalog_is_vietnamese_without_plural_forms(catalog):
    assert str(catalog.locale) == "vi"
    assert catalog.num_plurals == 1  # Vietnamese has no plural
    assert len(_entries(catalog)) > 100


def test_no_empty_or_fuzzy_entries(catalog):
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    empty = [_label(m) for m in _entries(catalog) if not all(s.strip() for s in _strings(m))]
    fuzzy = [_label(m) for m in _entries(catalog) if m.fuzzy]
    assert not (empty or fuzzy), (
        f"untranslated: {empty}\n"
        f"fuzzy (check the translation, then remove the flag): {fuzzy}")


def test_placeholders_match(catalog):
    problems = []
    for m in _entries(catalog):
        wanted = Counter(PLACEHOLDER.findall(_ids(m)[0]))
        for s in _strings(m):
            got = Counter(PLACEHOLDER.findall(s))
            if got != wanted or s.count("%") != _ids(m)[0].count("%"):
                problems.append(f"{_label(m)}: {dict(wanted)} != {dict(got)} in {s!r}")
    assert not problems, "\n".join(problems)


def test_babel_checkers_pass(catalog):
    """Babel's own checks (python-format compatibility) as `pybabel compile` runs them."""
    errors = [f"{_label(m)}: {[str(e) for e in errs]}" for m, errs in catalog.check()]
    assert not errors, "\n".join(errors)


def test_every_extracted_message_is_translated(catalog):
    extracted = extract_from_sources()
    assert len(extracted) > 100, "extraction found too little; is babel.cfg right?"
    missing = [f"{msgid!r} ({', '.join(where)})"
               for (msgid, context), where in sorted(extracted.items(),
                                                     key=lambda kv: kv[1][0])
               if catalog.get(msgid, context=context) is None]
    assert not missing, (
        "messages missing from app/translations/vi/LC_MESSAGES/messages.po "
        "(run pybabel extract + update, see this module's docstring):\n" + "\n".join(missing))


def test_babel_cfg_covers_every_template():
    """A template outside the babel.cfg patterns would silently stay English."""
    extracted_files = {where.rsplit(":", 1)[0]
                       for wheres in extract_from_sources().values() for where in wheres}
    templates = {p.relative_to(ROOT).as_posix() for p in (ROOT / "app").rglob("*.html")}
    with_strings = {t for t in templates
                    if re.search(r"\b_\(|\bgettext\(", (ROOT / t).read_text(encoding="utf-8"))}
    assert with_strings <= extracted_files, sorted(with_strings - extracted_files)


# --- the running app ---------------------------------------------------------------


def test_compiled_catalog_is_up_to_date(dev_app):
    assert MO.exists()
    assert MO.stat().st_mtime >= PO.stat().st_mtime


def test_translations_directory_is_the_one_flask_babel_reads(dev_app):
    from flask_babel import get_babel

    with dev_app.app_context():
        dirs = [Path(d).resolve() for d in get_babel().translation_directories]
    assert TRANSLATIONS.resolve() in dirs


def test_gettext_follows_the_selected_locale(dev_app):
    from flask_babel import gettext

    from app.domain.processing import error_message, status_label
    from app.domain.vocab import SECRECY_LEVELS

    with dev_app.test_request_context("/"):
        assert gettext("Upload") == "Tải lên"
        assert status_label("failed") == "lỗi xử lý"
        assert str(SECRECY_LEVELS["toi_mat"][1]) == "Tối mật"
        assert gettext("%(n)d documents", n=3) == "3 tài liệu"
        assert error_message("empty") == "Tệp rỗng (0 byte)."
    with dev_app.test_request_context("/?lang=en"):
        assert gettext("Upload") == "Upload"
        assert status_label("failed") == "failed"
        assert str(SECRECY_LEVELS["toi_mat"][1]) == "Secret (Tối mật)"


def test_login_page_is_vietnamese_by_default(dev_app):
    response = dev_app.test_client().get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "<h1>Đăng nhập</h1>" in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html  # lazy form labels
    assert "Kho lưu trữ tài liệu truyền thông" in html
    assert "Log in" not in html and "Username" not in html


def test_login_page_in_english_on_request(dev_app):
    client = dev_app.test_client()
    html = client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert "Username" in html and "Password" in html
    assert "Đăng nhập" not in html
    # The choice is kept in the session for the next page...
    assert "<h1>Log in</h1>" in client.get("/login").get_data(as_text=True)
    # ...and ?lang=vi switches back.
    assert "<h1>Đăng nhập</h1>" in client.get("/login?lang=vi").get_data(as_text=True)


def test_unknown_language_falls_back_to_vietnamese(dev_app):
    html = dev_app.test_client().get("/login?lang=fr").get_data(as_text=True)
    assert "<h1>Đăng nhập</h1>" in html
