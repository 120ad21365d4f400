"""Environment-driven settings.

Every value can be overridden by an environment variable of the same name,
which is how production points the app at its own PostgreSQL, Redis and
Elasticsearch.
"""
import os
# Only a fixed git command runs (finding the shared folder), never user input.
import subprocess  # nosec B404
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"


def _shared_dir() -> Path:
    """The team's shared/ folder (corpus, eval sets): beside the clone, or beside the
    repository a local clone was made from (a throw-away clone under /tmp), or beside
    the main clone of a worktree, or where ARCHIVE_SHARED_DIR says."""
    if os.environ.get("ARCHIVE_SHARED_DIR"):
        return Path(os.environ["ARCHIVE_SHARED_DIR"])
    beside = PROJECT_ROOT.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        origin = subprocess.run(["git", "-C", str(PROJECT_ROOT), "config", "--get",
                                 "remote.origin.url"], capture_output=True, text=True,
                                timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    if origin and Path(origin).is_dir():
        return Path(origin).resolve().parent / "shared"
    try:  # a `git worktree` elsewhere (a benchmark run apart): beside its main clone
        common = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse",
                                 "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        common = ""
    if common and (Path(common).parent.parent / "shared").is_dir():
        return Path(common).parent.parent / "shared"
    return beside


SHARED_DIR = _shared_dir()
CORPUS_DIR = SHARED_DIR / "corpus"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{VAR_DIR / 'archive.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    RQ_QUEUE = os.environ.get("RQ_QUEUE", "archive")
    ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
    # Every index and alias name starts with this, so several deployments
    # (or the test suite) can share one cluster without touching each other.
    ES_INDEX_PREFIX = os.environ.get("ES_INDEX_PREFIX", "archive")
    # Replicas of each shard: 0 on a single node; 1 in a cluster of two or more.
    ES_REPLICAS = _env_int("ES_REPLICAS", 0)
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host (0: none).
    PROXY_HOPS = _env_int("PROXY_HOPS", 0)
    ES_TIMEOUT = _env_int("ES_TIMEOUT", 10)
    STORAGE_DIR = os.environ.get("STORAGE_DIR", str(VAR_DIR / "storage"))
    # Where originals, OCR PDFs, previews, exports and transfer packages are kept
    # (app/storage): unset or file:///path -> the local folder STORAGE_DIR;
    # s3://bucket[/prefix]?endpoint=http://host:port&region=us-east-1 -> an S3 store.
    STORAGE_URL = os.environ.get("STORAGE_URL", "")
    STORAGE_S3_KEY = os.environ.get("STORAGE_S3_KEY") or os.environ.get("AWS_ACCESS_KEY_ID")
    STORAGE_S3_SECRET = (os.environ.get("STORAGE_S3_SECRET")
                         or os.environ.get("AWS_SECRET_ACCESS_KEY"))
    # Files at least this large go up in parts (each part's SHA-256 checked by the store).
    STORAGE_S3_MULTIPART_MB = _env_int("STORAGE_S3_MULTIPART_MB", 16)
    # Downloads from S3: "proxy" (streamed through the app) or "presigned" (a redirect
    # to a URL valid STORAGE_PRESIGN_SECONDS, given only after the secrecy check).
    STORAGE_DOWNLOADS = os.environ.get("STORAGE_DOWNLOADS", "proxy")
    STORAGE_PRESIGN_SECONDS = _env_int("STORAGE_PRESIGN_SECONDS", 60)
    # Process-local folder where uploads are received and hashed before an S3 write.
    STORAGE_SPOOL_DIR = os.environ.get("STORAGE_SPOOL_DIR", "")
    # Fixity: every stored object is re-hashed within FIXITY_PERIOD_DAYS, a slice every
    # FIXITY_INTERVAL_SECONDS, reading at most FIXITY_MAX_MB_PER_S.
    FIXITY_PERIOD_DAYS = _env_int("FIXITY_PERIOD_DAYS", 30)
    FIXITY_INTERVAL_SECONDS = _env_int("FIXITY_INTERVAL_SECONDS", 3600)
    FIXITY_MAX_MB_PER_S = float(os.environ.get("FIXITY_MAX_MB_PER_S", "20"))
    # A folder of hash-named objects (a restored backup) offered for repairs.
    FIXITY_REPAIR_DIR = os.environ.get("FIXITY_REPAIR_DIR", "")
    MAX_UPLOAD_MB = _env_int("MAX_UPLOAD_MB", 100)
    # How long an upload is kept for its owner while the upload form is
    # corrected after an error (STORAGE_DIR/staging).
    UPLOAD_STAGING_SECONDS = _env_int("UPLOAD_STAGING_SECONDS", 3600)
    # Verified BagIt packages of records transferred to the historical
    # archive; empty means "transfers" beside the storage folder.
    TRANSFER_DIR = os.environ.get("TRANSFER_DIR", "")
    # Backup folders (DEST of `flask backup create`), separated by ":"; fixity
    # repair looks for good copies there (app.backup.find_object).
    BACKUP_LOCATIONS = os.environ.get("BACKUP_LOCATIONS", "")
    # Where pg_dump/pg_restore of the server's version are, when not in
    # /usr/lib/postgresql/<major>/bin or on the PATH.
    PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "")
    # Encrypts every backup written (flask backup keygen makes one: 32 random bytes in
    # base64). Keep it outside the backup and outside this server; without it a backup
    # cannot be read. BACKUP_REQUIRE_KEY: refuse to write a backup in clear unless
    # `flask backup create --unencrypted` (on in production).
    BACKUP_KEY = os.environ.get("BACKUP_KEY", "")
    # Keys of before a rotation, separated by commas: used only to read (verify, restore,
    # fixity repair) the backups made with them; never to write.
    BACKUP_PREVIOUS_KEYS = os.environ.get("BACKUP_PREVIOUS_KEYS", "")
    BACKUP_REQUIRE_KEY = os.environ.get("BACKUP_REQUIRE_KEY", "") == "1"
    # Objects copied at once by backup and restore (reads, fsyncs, S3 requests overlap).
    BACKUP_WORKERS = _env_int("BACKUP_WORKERS", 4)
    # Name written into transfer packages (bag-info Source-Organization).
    ARCHIVE_ORGANIZATION = os.environ.get("ARCHIVE_ORGANIZATION", "Sở Thông tin và Truyền thông")
    # The report's NĐ 30/2020 layout (app/services/report_docx.py): parent body above
    # ARCHIVE_ORGANIZATION, the issuer's abbreviation in "Số: /BC-…", the place in the
    # date line, the signer block and the recipients (separated by ";").
    REPORT_PARENT_BODY = os.environ.get("REPORT_PARENT_BODY", "UBND TỈNH")
    REPORT_ISSUER_ABBR = os.environ.get("REPORT_ISSUER_ABBR", "STTTT")
    REPORT_PLACE = os.environ.get("REPORT_PLACE", "")
    REPORT_SIGNER_TITLE = os.environ.get("REPORT_SIGNER_TITLE", "GIÁM ĐỐC")
    REPORT_SIGNER_NAME = os.environ.get("REPORT_SIGNER_NAME", "")
    REPORT_RECIPIENTS = os.environ.get(
        "REPORT_RECIPIENTS", "Ủy ban nhân dân tỉnh (để báo cáo);"
        "Ban Tuyên giáo và Dân vận Tỉnh ủy;Ban Chỉ đạo về quyền con người tỉnh")
    # How often the retention sweep runs under ``make run`` (daily).
    RETENTION_SWEEP_SECONDS = _env_int("RETENTION_SWEEP_SECONDS", 24 * 3600)
    # Extraction limits protect the worker from pathological files.
    EXTRACT_MAX_PAGES = _env_int("EXTRACT_MAX_PAGES", 5000)
    EXTRACT_MAX_CHARS = _env_int("EXTRACT_MAX_CHARS", 20_000_000)
    EXTRACT_JOB_TIMEOUT = _env_int("EXTRACT_JOB_TIMEOUT", 600)
    # Address-space limit of each job's work horse (parsers of hostile files).
    WORKER_MEMORY_LIMIT_MB = _env_int("WORKER_MEMORY_LIMIT_MB", 2048)
    # CPU priority of jobs (added niceness, 0-19): on a host shared with the web
    # processes, extraction and embedding yield to people waiting on a page.
    WORKER_NICE = _env_int("WORKER_NICE", 10)
    # API tokens remembered per process (0 disables); any change to users or tokens
    # makes every process forget them at once (app/auth_cache.py).
    TOKEN_CACHE_SECONDS = _env_int("TOKEN_CACHE_SECONDS", 30)
    # The upload form's suggestions read the file in a child process, killed after this.
    SUGGEST_TIMEOUT_S = _env_int("SUGGEST_TIMEOUT_S", 30)
    # Documents stuck in "queued" longer than this are re-enqueued by reconcile.
    RECONCILE_STALE_SECONDS = _env_int("RECONCILE_STALE_SECONDS", 120)
    RECONCILE_INTERVAL_SECONDS = _env_int("RECONCILE_INTERVAL_SECONDS", 60)
    SEARCH_PAGE_SIZE = _env_int("SEARCH_PAGE_SIZE", 10)
    # Search by meaning (issue 18, app/semantic): documents are cut into passages and
    # embedded in the long lane after indexing (SEMANTIC_EMBED=0 turns that off);
    # SEARCH_MODE is what a search does when the request does not say (lexical or
    # hybrid; see docs/semantic-search.md for the figures behind the default). The
    # fusion reads the first HYBRID_WINDOW lexical hits and the HYBRID_K nearest
    # documents (HNSW looks at HYBRID_CANDIDATES), weighted HYBRID_VECTOR_WEIGHT, and
    # combines them by HYBRID_FUSION (convex: normalised scores added; rrf: ranks).
    SEMANTIC_EMBED = os.environ.get("SEMANTIC_EMBED", "1") not in ("0", "false", "no", "")
    SEMANTIC_MAX_PASSAGES = _env_int("SEMANTIC_MAX_PASSAGES", 150)
    # OpenMP threads of the embedding engine per process (app/semantic/embedder.py).
    SEMANTIC_THREADS = _env_int("SEMANTIC_THREADS", 1)
    SEARCH_MODE = os.environ.get("SEARCH_MODE", "lexical")
    # Related documents on a document page: its passages' mean vector counts this much
    # beside the text neighbours (bench/related_quality.py).
    RELATED_VECTOR_WEIGHT = float(os.environ.get("RELATED_VECTOR_WEIGHT", "1.0"))
    HYBRID_WINDOW = _env_int("HYBRID_WINDOW", 50)
    HYBRID_K = _env_int("HYBRID_K", 50)
    HYBRID_CANDIDATES = _env_int("HYBRID_CANDIDATES", 200)
    HYBRID_VECTOR_WEIGHT = float(os.environ.get("HYBRID_VECTOR_WEIGHT", "0.3"))
    HYBRID_FUSION = os.environ.get("HYBRID_FUSION", "convex")  # or rrf
    # A Vietnamese question typed without diacritics: its vector counts this much less.
    HYBRID_UNACCENTED_FACTOR = float(os.environ.get("HYBRID_UNACCENTED_FACTOR", "0.25"))
    # Harvesting other archives (app/sharing/harvest): the timeout of each OAI-PMH or
    # file request, how long a run may go without progress before another takes over,
    # the RQ job's limit, and how often `flask share harvest-due --every` looks.
    HARVEST_TIMEOUT_SECONDS = _env_int("HARVEST_TIMEOUT_SECONDS", 60)
    HARVEST_STALE_SECONDS = _env_int("HARVEST_STALE_SECONDS", 900)
    HARVEST_JOB_TIMEOUT = _env_int("HARVEST_JOB_TIMEOUT", 4 * 3600)
    HARVEST_CHECK_SECONDS = _env_int("HARVEST_CHECK_SECONDS", 300)
    # The OAI-PMH provider at /oai (app/sharing/oai): identifiers are
    # oai:<OAI_REPOSITORY_ID>:doc/<id>; resumption tokens are signed with SECRET_KEY
    # and expire after OAI_TOKEN_TTL seconds. OAI_BASE_URL: the public address of
    # /oai behind a proxy (empty: the address the request came to).
    OAI_REPOSITORY_ID = os.environ.get("OAI_REPOSITORY_ID", "archive.local")
    OAI_REPOSITORY_NAME = os.environ.get(
        "OAI_REPOSITORY_NAME", "Kho lưu trữ hồ sơ công tác thông tin, truyền thông")
    OAI_ADMIN_EMAILS = os.environ.get("OAI_ADMIN_EMAILS", "admin@archive.local")
    OAI_BASE_URL = os.environ.get("OAI_BASE_URL", "")
    OAI_TOKEN_TTL = _env_int("OAI_TOKEN_TTL", 24 * 3600)
    OAI_PAGE_SIZE = _env_int("OAI_PAGE_SIZE", 100)  # records per ListRecords response
    OAI_IDENTIFIERS_PAGE_SIZE = _env_int("OAI_IDENTIFIERS_PAGE_SIZE", 500)
    OAI_SETS_PAGE_SIZE = _env_int("OAI_SETS_PAGE_SIZE", 100)  # sets per ListSets response
    # The anonymous public portal (/cong-khai/): requests per client address, in
    # Flask-Limiter's notation; a search counts PUBLIC_SEARCH_COST requests. The
    # counters live in Redis (RATELIMIT_STORAGE_URI, default REDIS_URL).
    PUBLIC_RATE_LIMIT = os.environ.get("PUBLIC_RATE_LIMIT", "120 per minute;2000 per hour")
    PUBLIC_SEARCH_COST = _env_int("PUBLIC_SEARCH_COST", 4)
    PUBLIC_FEED_SIZE = _env_int("PUBLIC_FEED_SIZE", 50)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")
    # Notifications by e-mail (app/services/notification_mail.py): off while SMTP_URL is
    # empty; smtp://host:port, smtp://user:pass@host:587?starttls=1 or smtps://host:465.
    SMTP_URL = os.environ.get("SMTP_URL", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "kho-luu-tru@localhost")
    # The address people open the archive at, for the link in e-mails (none when empty).
    ARCHIVE_BASE_URL = os.environ.get("ARCHIVE_BASE_URL", "")
    # How often an open page asks for the bell's unread count.
    BELL_POLL_SECONDS = _env_int("BELL_POLL_SECONDS", 60)
    # How often saved searches are checked for new matches (``make run``'s loop).
    SAVED_SEARCH_CHECK_SECONDS = _env_int("SAVED_SEARCH_CHECK_SECONDS", 300)
    BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE", "vi")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh")
    LANGUAGES = ("vi", "en")
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = _env_int("SESSION_LIFETIME_SECONDS", 8 * 3600)

    @property
    def MAX_CONTENT_LENGTH(self) -> int:  # noqa: N802 - Flask's name
        # Leave room for the multipart envelope and metadata fields.
        return self.MAX_UPLOAD_MB * 1024 * 1024 + 1024 * 1024


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")


class TestingConfig(Config):
    TESTING = True
    BACKUP_KEY = ""  # the encryption tests set their own
    BACKUP_PREVIOUS_KEYS = ""
    SECRET_KEY = "testing-only"
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "TEST_DATABASE_URL",
        "postgresql+psycopg://archive:archive@127.0.0.1:5432/archive_test",
    )
    REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    RQ_QUEUE = "archive-test"
    ES_INDEX_PREFIX = os.environ.get("TEST_ES_INDEX_PREFIX", "archive-test")
    STORAGE_DIR = os.environ.get("TEST_STORAGE_DIR", str(VAR_DIR / "test-storage"))
    RECONCILE_STALE_SECONDS = 0
    # Embedding every test upload would cost the suite minutes: the semantic tests
    # turn it on for themselves (tests/integration/test_semantic_search.py).
    SEMANTIC_EMBED = False


class ProductionConfig(Config):
    BACKUP_REQUIRE_KEY = os.environ.get("BACKUP_REQUIRE_KEY", "1") != "0"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
