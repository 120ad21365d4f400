"""Search latency: the full API against the same query sent straight to Elasticsearch.

    .venv/bin/python bench/search_latency.py [--docs N] [--queries M] [--profile]

Builds an archive of ``--docs`` documents (default 20,000) from the statute
articles of ../shared/eval/alqac2022 and alqac2025 (3-8 consecutive articles
of one law per document) with realistic metadata: category, NĐ 30/2020 type,
number/symbol such as ``1234/KH-UBND``, an issuing agency, issue dates over
2010-2025, secrecy mostly ``thuong`` with a few ``mat``. Rows go straight
into PostgreSQL (bulk INSERT; no stored files, fake unique SHA-256 values);
the index is loaded with the project's own ``indexers.documents.bulk_load``
into a fresh index that then takes the alias (``create_index`` + ``swap_alias``).

Then, per query class, ``GET /api/v1/search`` through the Flask test client
(bearer token, schema validation, query building, Elasticsearch, highlighting,
JSON) is timed against the same request body sent with the ``elasticsearch``
client (the body is rebuilt from the service's own parts and checked equal to
what the service sends). Classes: ``plain`` (first 3-6 words of ALQAC 2022
questions), ``folded`` (the same without diacritics), ``number`` (a
number/symbol present in the data), ``faceted`` (plain words + category and
year filters). Everything is run once unmeasured (warm-up), then measured with
the order API/ES alternating per query. ``--profile`` adds a cProfile of one
more pass of API requests. Prints figures only; nothing is asserted.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import pstats
import random
import re
import time
from collections import defaultdict
from datetime import date, datetime, timedelta

import benchlib
from tqdm import tqdm

CORPORA = ["eval/alqac2022/corpus.jsonl", "eval/alqac2025/corpus.jsonl"]
QUERIES = "eval/alqac2022/queries.jsonl"
CLASSES = ("plain", "folded", "number", "faceted")
AGENCIES = [  # (name, abbreviation in the symbol)
    ("UBND tỉnh Điện Biên", "UBND"), ("UBND tỉnh Đắk Lắk", "UBND"),
    ("UBND tỉnh Cao Bằng", "UBND"), ("Sở Thông tin và Truyền thông", "STTTT"),
    ("Bộ Thông tin và Truyền thông", "BTTTT"), ("Văn phòng Chính phủ", "VPCP"),
    ("Thủ tướng Chính phủ", "TTg"), ("Sở Tư pháp", "STP"),
    ("Ban Tuyên giáo Tỉnh ủy", "BTGTU"), ("Hội đồng nhân dân tỉnh", "HĐND"),
]
# Common types weigh more; each maps to the category it usually files under.
TYPE_WEIGHTS = {"KH": 14, "CV": 20, "QD": 14, "BC": 12, "TB": 8, "HD": 6, "CT": 4, "NQ": 3,
                "TTR": 5, "GM": 5, "CTR": 2, "DA": 2, "QC": 1, "CD": 2, "BB": 2}
TYPE_CATEGORY = {"KH": "plan", "CV": "official_letter", "QD": "directive_decision",
                 "CT": "directive_decision", "NQ": "directive_decision", "BC": "report",
                 "HD": "guidance", "TB": "official_letter"}
BATCH = 1000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000, help="documents in the archive")
    parser.add_argument("--queries", type=int, default=50, help="queries per class")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--keep", action="store_true",
                        help="keep the database rows and the index afterwards (for inspection)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile one extra pass of API requests and print the top entries")
    return parser.parse_args()


# --- data set -------------------------------------------------------------------------

def load_laws() -> list[list[dict]]:
    """Statute articles grouped by law, in file order, text normalised like extraction does."""
    from app.text.vietnamese import normalize

    laws: dict[str, list[dict]] = defaultdict(list)
    for name in CORPORA:
        with (benchlib.SHARED / name).open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                laws[f"{name}:{row['law_id']}"].append(
                    {"article": row["article_id"], "text": normalize(row["text"]).strip()})
    return list(laws.values())


def document_rows(i: int, rng: random.Random, laws: list[list[dict]], user_id: int):
    """(documents row, document_files row) for document id ``i``."""
    from app.domain.vocab import CATEGORIES, TYPE_ABBREVIATIONS, TYPE_NAMES_VI
    from app.text.vietnamese import normalize_number_symbol

    law = rng.choices(laws, weights=[len(law) for law in laws])[0]
    count = rng.randint(3, 8)
    start = rng.randrange(max(1, len(law) - count + 1))
    articles = law[start:start + count]
    body = "\n\n".join(f"Điều {a['article']}. {a['text']}" for a in articles)
    heading = articles[0]["text"].split("\n", 1)[0][:200]
    doc_type = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
    category = (TYPE_CATEGORY.get(doc_type) if rng.random() < 0.8 else None) or rng.choice(
        list(CATEGORIES))
    agency, agency_abbr = rng.choice(AGENCIES)
    abbr = TYPE_ABBREVIATIONS.get(doc_type, doc_type)
    number, symbol = str(rng.randint(1, 4999)), f"{abbr}-{agency_abbr}" if abbr else f"{agency_abbr}-VP"
    issued = date(2010, 1, 1) + timedelta(days=rng.randrange(16 * 365 + 3))
    uploaded = datetime.combine(issued, datetime.min.time()) + timedelta(days=rng.randint(0, 30))
    document = {
        "id": i, "title": f"{TYPE_NAMES_VI[doc_type]} về {heading[:1].lower()}{heading[1:]}",
        "category": category, "doc_type": doc_type, "number": number, "symbol": symbol,
        "number_key": normalize_number_symbol(f"{number}/{symbol}"), "issuing_agency": agency,
        "issue_date": issued, "secrecy": "mat" if rng.random() < 0.03 else "thuong",
        "urgency": "thuong", "language": "vi", "page_count": 1 + len(body) // 2500,
        "status": "indexed", "revision": 2, "indexed_revision": 2, "uploaded_by_id": user_id,
        "uploaded_at": uploaded, "updated_at": uploaded,
    }
    media = rng.choice([("application/pdf", "pdf", "pdf-text-layer")] * 3 + [(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "docx")])
    file = {
        "id": i, "document_id": i, "original_filename": f"{number}-{symbol}.{media[1]}",
        "media_type": media[0], "size": len(body.encode()), "created_at": uploaded,
        "sha256": hashlib.sha256(f"archive-bench-{i}".encode()).hexdigest(),
        "page_count": document["page_count"], "extracted_text": body, "extraction_method": media[2],
    }
    return document, file


def insert_documents(app, n: int, rng: random.Random, user_id: int) -> list[dict]:
    """Bulk-insert ``n`` documents; return light metadata of each (for building queries)."""
    from sqlalchemy import insert, text

    from app.extensions import db
    from app.models import Document, DocumentFile

    laws, meta = load_laws(), []
    with app.app_context(), tqdm(total=n, desc="insert rows", unit="doc") as bar:
        for first in range(1, n + 1, BATCH):
            pairs = [document_rows(i, rng, laws, user_id)
                     for i in range(first, min(n, first + BATCH - 1) + 1)]
            db.session.execute(insert(Document), [d for d, _ in pairs])
            db.session.execute(insert(DocumentFile), [f for _, f in pairs])
            db.session.commit()
            meta += [{k: d[k] for k in ("number", "symbol", "category", "issue_date", "secrecy")}
                     for d, _ in pairs]
            bar.update(len(pairs))
        for table in ("documents", "document_files"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
    return meta


def load_index(app, n: int, waits: list[float]) -> tuple[int, list]:
    """The project's reindex path: new index, bulk_load from the database, swap the alias."""
    from indexers import client
    from indexers.documents import bulk_load

    benchlib.wait_for_es()
    with benchlib.survive_es_restarts(waits), app.app_context(), \
            tqdm(total=n, desc="bulk_load", unit="doc") as bar:
        name = client.create_index()
        loaded, errors = bulk_load(name, progress=bar.update)
        benchlib.wait_for_es()
        client.swap_alias(name)
        client.es().indices.refresh(index=client.alias())
    return loaded, errors


# --- queries --------------------------------------------------------------------------

def plain_queries(rng: random.Random, m: int) -> list[str]:
    """First 3-6 words of ALQAC 2022 questions, with diacritics, without duplicates."""
    seen: dict[str, None] = {}
    with (benchlib.SHARED / QUERIES).open(encoding="utf-8") as fh:
        for line in fh:
            words = re.findall(r"\w+", json.loads(line)["text"])
            seen.setdefault(" ".join(words[:rng.randint(3, 6)]))
    queries = list(seen)
    rng.shuffle(queries)
    return queries[:m]


def build_queries(rng: random.Random, m: int, meta: list[dict]) -> dict[str, list[dict]]:
    """Search parameters (as the API takes them) per query class."""
    from app.text.vietnamese import fold

    plain = plain_queries(rng, m)
    visible = [d for d in meta if d["secrecy"] == "thuong"]
    numbers = [f"{d['number']}/{d['symbol']}" for d in rng.sample(visible, m)]
    facets = [(d["category"], d["issue_date"].year) for d in rng.sample(visible, m)]
    return {
        "plain": [{"q": q} for q in plain],
        "folded": [{"q": fold(q)} for q in plain],
        "number": [{"q": q} for q in numbers],
        "faceted": [{"q": q, "category": c, "year": y} for q, (c, y) in zip(plain, facets)],
    }


def es_body(params: dict, clearance: str, page_size: int) -> dict:
    """The body app.services.search.search() sends, rebuilt from the service's own parts.

    The service has no function returning its body, so this mirrors the dict it
    builds inline; check_bodies() verifies it is identical.
    """
    from app.domain.vocab import levels_up_to
    from app.search import highlight
    from app.search.query import Filters, build_query
    from app.services.search import FACETS, SOURCE_FIELDS, SORTS

    q = params.get("q", "")
    filters = Filters(secrecy_levels=levels_up_to(clearance), category=params.get("category"),
                      doc_type=params.get("type"), year=params.get("year"))
    return {
        "query": build_query(q, filters), "highlight": highlight.highlight_spec(q),
        "sort": SORTS["relevance"], "aggs": FACETS, "from": 0, "size": page_size,
        "track_total_hits": True, "_source": SOURCE_FIELDS,
    }


# --- measuring ------------------------------------------------------------------------

class Unavailable(Exception):
    """Elasticsearch went away during a request (the shared services get restarted)."""


class Runner:
    """Runs one query through the API (test client) or straight to Elasticsearch."""

    def __init__(self, app, token: str, clearance: str = "thuong"):
        from app.extensions import services
        from indexers.client import alias

        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}"}
        self.es = services.es
        with app.app_context():
            self.index = alias()
        self.clearance, self.page_size = clearance, app.config["SEARCH_PAGE_SIZE"]
        with app.test_request_context():
            from flask import url_for
            self.page_url = url_for("search.index")  # wherever the search page lives

    def api(self, params: dict) -> tuple[float, dict]:
        t0 = time.perf_counter()
        response = self.client.get("/api/v1/search", query_string=params, headers=self.headers)
        elapsed = time.perf_counter() - t0
        if response.status_code == 503:
            raise Unavailable(response.get_data(True))
        if response.status_code != 200:
            raise SystemExit(f"API error {response.status_code}: {response.get_data(True)}")
        return elapsed, response.get_json()

    def page(self, params: dict) -> tuple[float, dict]:
        """The HTML search page people use: the same search plus its template."""
        t0 = time.perf_counter()
        response = self.client.get(self.page_url, query_string=params, headers=self.headers)
        elapsed = time.perf_counter() - t0
        if response.status_code == 503:
            raise Unavailable(response.get_data(True))
        if response.status_code != 200:
            raise SystemExit(f"page error {response.status_code}")
        return elapsed, {}

    def direct(self, params: dict) -> tuple[float, dict]:
        from elastic_transport import ConnectionError as TransportDown

        body = es_body(params, self.clearance, self.page_size)
        t0 = time.perf_counter()
        try:
            response = self.es.search(index=self.index, **body)
        except TransportDown as exc:
            raise Unavailable(str(exc)) from exc
        return time.perf_counter() - t0, response.body


def check_bodies(runner: Runner, queries: dict[str, list[dict]]) -> bool:
    """True when the service sends exactly es_body() for the first query of every class."""
    sent = []
    original = runner.es.search

    def recorder(**kwargs):
        sent.append(kwargs)
        return original(**kwargs)

    runner.es.search = recorder  # this client instance only, for these few requests
    try:
        for group in queries.values():
            runner.api(group[0])
    finally:
        del runner.es.search
    expected = [{"index": runner.index, **es_body(g[0], runner.clearance, runner.page_size)}
                for g in queries.values()]
    return json.dumps(sent, sort_keys=True, default=str) == json.dumps(
        expected, sort_keys=True, default=str)


def sql_per_request(app, runner: Runner, params: dict) -> list[str]:
    """The SQL statements one API search request sends to PostgreSQL (first words of each)."""
    from sqlalchemy import event

    from app.extensions import db

    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        match = re.match(r"\s*(UPDATE|INSERT INTO|DELETE FROM|SELECT\b.*?\bFROM)\s+(\w+)",
                         statement, re.S)
        statements.append(f"{match[1].split()[0]} {match[2]}" if match else statement[:30])

    event.listen(engine, "before_cursor_execute", listener)
    try:
        runner.api(params)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return statements


def until_available(fn, outages: list[float], on_retry=None, attempts: int = 4):
    """``fn()``; if Elasticsearch goes away meanwhile, wait for it (and ``on_retry()``), retry.

    The services are shared and tests/integration/test_outages.py restarts
    Elasticsearch; seconds waited go to ``outages``.
    """
    for _ in range(attempts - 1):
        try:
            return fn()
        except Unavailable:
            outages.append(benchlib.wait_for_es())
            if on_retry is not None:
                try:
                    on_retry()
                except Unavailable:
                    pass  # the next attempt finds out
    return fn()


def warm_up(runner: Runner, groups: list[list[dict]]) -> None:
    """Every query once through both paths, unmeasured."""
    for group in groups:
        for params in group:
            runner.api(params)
            runner.direct(params)
            runner.page(params)


def measure(runner: Runner, queries: dict[str, list[dict]],
            outages: list[float]) -> dict[str, dict[str, list]]:
    """Warm-up pass, then a measured pass rotating the order of API, ES and page per query.

    After an Elasticsearch restart the class is warmed up again and the query
    measured again.
    """
    until_available(lambda: warm_up(runner, list(queries.values())), outages)
    results = {c: defaultdict(list) for c in queries}
    with tqdm(total=sum(len(g) for g in queries.values()), desc="measure", unit="query") as bar:
        for cls, group in queries.items():
            for n, params in enumerate(group):
                paths = (runner.api, runner.direct, runner.page)
                order = paths[n % 3:] + paths[:n % 3]
                samples = until_available(
                    lambda: [(fn, *fn(params)) for fn in order], outages,
                    on_retry=lambda: warm_up(runner, [group]))  # noqa: B023 - used at once
                for fn, seconds, body in samples:
                    kind = ("api" if fn == runner.api else "page" if fn == runner.page
                            else "es")
                    record(results[cls], kind, seconds, body, params)
                bar.update(1)
    return results


def record(sink: dict[str, list], kind: str, seconds: float, body: dict, params) -> None:
    """Keep timings in ms; from the ES side also ``took``, hit count and highlight size."""
    from app.search.highlight import highlight_spec

    if kind != "es":
        sink[kind].append(seconds * 1000)
        return
    sink["es"].append(seconds * 1000)
    sink["took"].append(body["took"])
    sink["total"].append(body["hits"]["total"]["value"])
    terms = highlight_spec(params.get("q", ""))["fields"]["body"].get("highlight_query", {})
    sink["hl_terms"].append(len(terms.get("terms", {}).get("body", [])))


# (label, file suffix, function name): parts of a request whose cumulative time is reported.
PROFILE_PARTS = [
    ("whole request (test client)", "flask/app.py", "wsgi_app"),
    ("bearer-token auth (app/auth.py)", "app/auth.py", "_load_user_from_token"),
    ("  of which session.commit()", "sqlalchemy/orm/scoping.py", "commit"),
    ("search view (app/api/search.py)", "app/api/search.py", "search_documents"),
    ("  request schema SearchIn().load", "marshmallow/schema.py", "load"),
    ("  services.search.search()", "app/services/search.py", "search"),
    ("    build_query()", "app/search/query.py", "build_query"),
    ("    highlight_spec()", "app/search/highlight.py", "highlight_spec"),
    ("    Elasticsearch request (transport)", "elastic_transport/_transport.py",
     "perform_request"),
    ("    _hit() (results -> Hit)", "app/services/search.py", "_hit"),
    ("  jsonify()", "flask/json/__init__.py", "jsonify"),
]


def profile_parts(stats: pstats.Stats, requests: int) -> str:
    """Cumulative ms per request for the parts in PROFILE_PARTS."""
    lines = [f"where the time of one API request goes (cProfile, {requests} requests, "
             f"ms per request, profiler overhead included):"]
    for label, suffix, func in PROFILE_PARTS:
        cumulative = sum(ct for (file, _, name), (_, _, _, ct, _) in stats.stats.items()
                         if file.endswith(suffix) and name == func)
        lines.append(f"  {label:<42} {1000 * cumulative / requests:7.2f}")
    return "\n".join(lines)


def profile_api(runner: Runner, queries: dict[str, list[dict]], top: int = 25) -> str:
    """cProfile one pass of API requests: a per-part summary, then the top entries."""
    profiler = cProfile.Profile()
    requests = 0
    for group in queries.values():
        for params in group:
            profiler.enable()
            try:
                runner.api(params)
                requests += 1
            except Unavailable:  # Elasticsearch restarted by someone else: skip the query
                profiler.disable()
                benchlib.wait_for_es()
            profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(profile_parts(stats, requests) + "\n")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# --- report ---------------------------------------------------------------------------

def print_table(results: dict[str, dict[str, list]]) -> None:
    """class, n, API p50/p95/p99, ES client p50/p95/p99, ES took, ratio of p95s."""
    head = ("class", "n", "API p50", "p95", "p99", "page p50", "p95", "ES p50", "p95", "p99",
            "took p50", "p95", "API/ES p95", "page/ES p95", "hits p50", "hl terms")
    print("\nlatency in ms; page = the HTML search page; ES = the same body via the "
          "elasticsearch client (wall time), took = Elasticsearch's own figure")
    print("{:<8}{:>4} {:>8}{:>7}{:>7} {:>9}{:>7} {:>8}{:>7}{:>7} {:>9}{:>6} {:>11} {:>12} {:>9}"
          " {:>9}".format(*head))
    for cls, r in results.items():
        api, es, took = benchlib.pcts(r["api"]), benchlib.pcts(r["es"]), benchlib.pcts(r["took"])
        page = benchlib.pcts(r["page"])
        print(f"{cls:<8}{len(r['api']):>4} {api[0]:>8.1f}{api[1]:>7.1f}{api[2]:>7.1f} "
              f"{page[0]:>9.1f}{page[1]:>7.1f} "
              f"{es[0]:>8.1f}{es[1]:>7.1f}{es[2]:>7.1f} {took[0]:>9.0f}{took[1]:>6.0f} "
              f"{api[1] / es[1]:>11.2f} {page[1] / es[1]:>12.2f} "
              f"{benchlib.median(r['total']):>9.0f} {benchlib.median(r['hl_terms']):>9.0f}")


def build_archive(app, docs: int, rng: random.Random) -> tuple[list[dict], dict]:
    """Insert the rows and load the index; return (per-document metadata, loading figures)."""
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user_id = db.session.query(User.id).filter_by(username="bench").scalar()
    t0 = time.perf_counter()
    meta = insert_documents(app, docs, rng, user_id)
    t1 = time.perf_counter()
    waits: list[float] = []
    loaded, errors = load_index(app, docs, waits)
    index_s = time.perf_counter() - t1 - sum(waits)  # restarts by others excluded
    return meta, {"insert_s": t1 - t0, "index_s": index_s, "loaded": loaded,
                  "errors": len(errors), "waited_s": sum(waits)}


def print_header(meta: list[dict], load: dict, identical: bool, statements: list[str],
                 outages: list[float]) -> None:
    """Machine, data set, loading time and the checks made before measuring."""
    print(f"\nmachine: {benchlib.machine_line()}")
    print(f"documents: {len(meta)} ({sum(d['secrecy'] == 'mat' for d in meta)} 'mat', "
          f"invisible to the user)   DB insert: {load['insert_s']:.1f} s   "
          f"bulk_load + alias swap + refresh: {load['index_s']:.1f} s "
          f"({load['loaded'] / load['index_s']:.0f} docs/s, {load['loaded']} loaded, "
          f"{load['errors']} errors)")
    if load["waited_s"] or outages:
        print(f"Elasticsearch was restarted by someone else: waited {load['waited_s']:.0f} s "
              f"during loading (excluded above), {len(outages)} time(s) while measuring "
              f"(those queries were measured again after a new warm-up)")
    print(f"ES body rebuilt from the service's parts identical to what the service sends: "
          f"{'yes' if identical else 'NO'}")
    print(f"SQL statements in one API search request: {len(statements)} "
          f"({'; '.join(statements)})")


def main() -> None:
    args = parse_args()
    with benchlib.bench_app(keep=args.keep) as app:
        token = benchlib.make_token(app, role="viewer", clearance="thuong")
        meta, load = build_archive(app, args.docs, random.Random(args.seed))
        # A separate generator: the same queries whatever --docs is (numbers/facets aside).
        queries = build_queries(random.Random(args.seed + 1), args.queries, meta)
        runner = Runner(app, token)
        outages: list[float] = []
        identical = until_available(lambda: check_bodies(runner, queries), outages)
        statements = until_available(
            lambda: sql_per_request(app, runner, queries["plain"][0]), outages)
        results = measure(runner, queries, outages)
        print_header(meta, load, identical, statements, outages)
        print_table(results)
        if args.profile:
            print("\ncProfile of one more pass of API requests:\n")
            print(profile_api(runner, queries))


if __name__ == "__main__":
    main()
