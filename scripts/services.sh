#!/usr/bin/env bash
# Install, start, stop and report the local services the archive needs:
# Redis, PostgreSQL, Elasticsearch and an S3 object store (versitygw), all
# listening on 127.0.0.1 only.
#
#   scripts/services.sh install
#   scripts/services.sh start  [redis|postgres|es|s3|all]   (default: all)
#   scripts/services.sh stop   [redis|postgres|es|s3|all]   (default: all)
#   scripts/services.sh status
#
# Every subcommand is idempotent. There is no systemd here (nor in CI), so
# services are started by running their daemons directly.
#
# State that belongs to this clone (Redis data, Elasticsearch data/logs/
# config) lives in the git-ignored var/ folder, so a fresh clone starts with
# empty stores. Downloads are cached outside the clone (~/.m2 for the
# Elasticsearch zip, $ARCHIVE_CACHE_DIR for the unpacked install) so that
# several clones share them. PostgreSQL is the machine's Debian cluster and
# is shared by all clones (they are separated by database name).
#
# The S3 store is versitygw (Apache-2.0), built once with `go install` into
# $ARCHIVE_CACHE_DIR/go-bin (Go's module and build caches stay in their
# default places, outside the clone) and run on the posix backend with its
# data in var/s3/data. Its keys are fixed and for development and tests only;
# they are written to var/s3/credentials. `make run` keeps the local folder
# (STORAGE_URL unset); the tests use the store for their S3 runs.
#
# Environment:
#   REDIS_PORT        (6379)   POSTGRES_PORT (5432)   ES_PORT (9200)   S3_PORT (9000)
#   ES_HEAP           (512m)   heap size, used for both -Xms and -Xmx
#   ES_START_TIMEOUT  (120)    seconds for Elasticsearch to start and be yellow
#   ES_USER           (archive-es) system user Elasticsearch runs as
#   ES_JAVA_HOME      (derived from `java` on PATH) JDK 17+ to run ES with
#   ARCHIVE_CACHE_DIR ($HOME/.cache/vn-archive) where ES is unpacked
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
VAR_DIR="$ROOT_DIR/var"

REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_DIR="$VAR_DIR/redis"
REDIS_PIDFILE="$REDIS_DIR/redis.pid"
REDIS_PORTFILE="$REDIS_DIR/redis.port"

POSTGRES_PORT="${POSTGRES_PORT:-5432}"
PG_ROLE="archive"
PG_PASSWORD="archive"
PG_DATABASES=(archive archive_test)

ES_VERSION="8.19.21"
ES_PORT="${ES_PORT:-9200}"
ES_USER="${ES_USER:-archive-es}"
ES_HEAP="${ES_HEAP:-512m}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-120}"
ARCHIVE_CACHE_DIR="${ARCHIVE_CACHE_DIR:-$HOME/.cache/vn-archive}"
ES_HOME="$ARCHIVE_CACHE_DIR/elasticsearch-$ES_VERSION"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"
ES_ZIP="$HOME/.m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
ES_DIR="$VAR_DIR/es"
ES_PIDFILE="$ES_DIR/es.pid"
ES_PORTFILE="$ES_DIR/es.port"

S3_VERSION="v1.8.0"
S3_MODULE="github.com/versity/versitygw"
S3_PORT="${S3_PORT:-9000}"
S3_BIN_DIR="$ARCHIVE_CACHE_DIR/go-bin"
S3_BIN="$S3_BIN_DIR/versitygw"
S3_DIR="$VAR_DIR/s3"
S3_PIDFILE="$S3_DIR/s3.pid"
S3_PORTFILE="$S3_DIR/s3.port"
# Development and test keys only (the store listens on 127.0.0.1).
S3_ACCESS_KEY="archive-dev"
S3_SECRET_KEY="archive-dev-secret-key"

# Debian packages the project needs at run or test time. `acl` provides
# setfacl, used to let the ES user traverse root-only directories such as
# /root without opening them to everybody. Text extraction: poppler-utils
# (pdftoppm renders scanned pages), tesseract-ocr + tesseract-ocr-vie (OCR,
# ~24 MB), libreoffice-writer-nogui (Word 97-2003 .doc and RTF, ~260 MB with
# --no-install-recommends, about 20 s to install), libreoffice-calc-nogui (the
# tests open the report's XLSX with it, an independent reader) and antiword
# (.doc fallback).
APT_PACKAGES=(redis-server postgresql libmagic1 poppler-utils chromium chromium-driver unzip acl
              tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui libreoffice-calc-nogui
              antiword)

log() { printf '[services] %s\n' "$*"; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- helpers

# True when the process in PIDFILE is alive and its command line contains
# PATTERN (guards against a stale pidfile whose pid was reused).
pidfile_alive() {
    local pidfile="$1" pattern="$2" pid
    [[ -r "$pidfile" ]] || return 1
    pid="$(tr -dc '0-9' <"$pidfile")"
    [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$pattern"
}

pidfile_pid() { tr -dc '0-9' <"$1"; }

# This clone's daemon is alive but does not answer on the requested port:
# it was started with another *_PORT. Starting a second one would orphan the
# first (one pidfile per clone), so refuse and say how to stop it.
die_other_port() {
    local name="$1" var="$2" portfile="$3" pidfile="$4" port
    port="$(cat "$portfile" 2>/dev/null || echo '?')"
    die "$name: this clone's $name (pid $(pidfile_pid "$pidfile")) runs on port $port, not ${!var}; stop it first: $var=$port scripts/services.sh stop $name"
}

# Waits up to SECONDS for COMMAND... to succeed.
wait_until() {
    local seconds="$1"; shift
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# Sends TERM to the process, waits until it is gone, KILLs it after a minute.
kill_and_wait() {
    local pid="$1" name="$2"
    kill -TERM "$pid" 2>/dev/null || return 0
    if ! wait_until 60 pid_gone "$pid"; then
        log "$name (pid $pid) did not stop within 60s, killing it"
        kill -KILL "$pid" 2>/dev/null || true
        wait_until 10 pid_gone "$pid" || die "could not kill $name (pid $pid)"
    fi
}

pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# ---------------------------------------------------------------- install

pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing_packages() {
    local pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        pkg_installed "$pkg" || echo "$pkg"
    done
    # Java and Maven are only needed for Elasticsearch; normally present on
    # the machine already, so only ask apt for them when they are missing.
    command -v java >/dev/null || echo openjdk-17-jre-headless
    command -v mvn >/dev/null || echo maven
}

install_packages() {
    local missing
    mapfile -t missing < <(missing_packages)
    ((${#missing[@]})) || return 0
    log "installing Debian packages: ${missing[*]}"
    # CI starts from a fresh machine whose package lists may be stale or empty.
    apt-get update -qq
    # No recommends: they drag in systemd, avahi, cups helpers, ... none of
    # which is wanted (or startable) on a machine without an init system.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    # Where invoke-rc.d is allowed to start services, the package starts a
    # system-wide Redis on 6379; our own per-clone Redis must own the port.
    if printf '%s\n' "${missing[@]}" | grep -qx redis-server \
        && [[ -x /etc/init.d/redis-server ]] \
        && pidfile_alive /run/redis/redis-server.pid redis-server; then
        log "stopping the packaged redis-server the install just started"
        /etc/init.d/redis-server stop >/dev/null || true
    fi
}

ensure_es_user() {
    id -u "$ES_USER" >/dev/null 2>&1 && return 0
    log "creating system user $ES_USER (Elasticsearch refuses to run as root)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$ES_USER"
}

# Lets the ES user traverse every directory from / down to PATH. /root is
# 0700 on this machine, and both the cache (under $HOME) and clones may live
# below such directories. Grants search (x) only, never listing or reading.
grant_traverse() {
    local path="$1" dir="" part
    local -a parts
    IFS=/ read -r -a parts <<<"${path#/}"
    for part in "" "${parts[@]}"; do
        dir="${dir%/}/$part"
        [[ -d "$dir" ]] || break
        runuser -u "$ES_USER" -- test -x "$dir" && continue
        if command -v setfacl >/dev/null; then
            log "granting $ES_USER traverse permission on $dir (ACL)"
            setfacl -m "u:$ES_USER:x" "$dir"
        else
            log "granting others traverse permission on $dir (chmod o+x)"
            chmod o+x "$dir"
        fi
    done
}

# Downloads the ES zip into ~/.m2 (once) and unpacks it into the cache.
install_es() {
    if [[ ! -f "$ES_ZIP" ]]; then
        log "downloading Elasticsearch $ES_VERSION with Maven"
        mvn -q dependency:get -Dtransitive=false -Dartifact="$ES_ARTIFACT"
        [[ -f "$ES_ZIP" ]] || die "maven did not produce $ES_ZIP"
    fi
    if [[ ! -x "$ES_HOME/bin/elasticsearch" ]]; then
        log "unpacking Elasticsearch into $ES_HOME"
        mkdir -p "$ARCHIVE_CACHE_DIR"
        # Unpack beside the target and rename, so an interrupted unzip never
        # leaves a half-populated ES_HOME that looks installed.
        local tmp
        tmp="$(mktemp -d "$ARCHIVE_CACHE_DIR/.unzip.XXXXXX")"
        unzip -q "$ES_ZIP" -d "$tmp"
        rm -rf "$ES_HOME"
        mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
        rm -rf "$tmp"
        # ES runs as $ES_USER but the install is root's: make it world-
        # readable (it holds no secrets; per-clone config lives in var/es).
        chmod -R a+rX "$ES_HOME"
    fi
    ensure_es_user
    grant_traverse "$ES_HOME"
}

# Go: from PATH, or the official tarball's usual place. Debian 12's golang-go
# (1.19) is too old for versitygw 1.8 (it needs Go 1.25).
go_binary() {
    command -v go 2>/dev/null || { [[ -x /usr/local/go/bin/go ]] && echo /usr/local/go/bin/go; }
}

# True when S3_BIN is versitygw at S3_VERSION (Go records the module version
# in the binary; without Go to read it, an existing binary is trusted).
s3_installed() {
    [[ -x "$S3_BIN" ]] || return 1
    local go
    go="$(go_binary)" || return 0
    "$go" version -m "$S3_BIN" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+$S3_MODULE[[:space:]]+$S3_VERSION([[:space:]]|$)"
}

install_s3() {
    s3_installed && return 0
    local go
    go="$(go_binary)" || die "s3: Go 1.25 or newer is needed to build versitygw (https://go.dev/dl/)"
    log "s3: building versitygw $S3_VERSION into $S3_BIN_DIR (takes a few minutes)"
    mkdir -p "$S3_BIN_DIR"
    GOBIN="$S3_BIN_DIR" GOFLAGS=-buildvcs=false "$go" install "$S3_MODULE/cmd/versitygw@$S3_VERSION"
    [[ -x "$S3_BIN" ]] || die "s3: go install did not produce $S3_BIN"
}

cmd_install() {
    install_packages
    install_es
    install_s3
}

# `start` installs only what the requested services need.
ensure_installed() {
    install_packages
    [[ "$1" == es || "$1" == all ]] && install_es
    [[ "$1" == s3 || "$1" == all ]] && install_s3
    return 0
}

# ---------------------------------------------------------------- redis

redis_up() {
    [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

redis_ours() { pidfile_alive "$REDIS_PIDFILE" redis-server; }

start_redis() {
    if redis_up; then
        if redis_ours; then
            log "redis: already running on 127.0.0.1:$REDIS_PORT"
        else
            log "redis: something else already answers on 127.0.0.1:$REDIS_PORT (not this clone's var/redis); reusing it"
        fi
        return 0
    fi
    redis_ours && die_other_port redis REDIS_PORT "$REDIS_PORTFILE" "$REDIS_PIDFILE"
    mkdir -p "$REDIS_DIR"
    rm -f "$REDIS_PIDFILE"
    echo "$REDIS_PORT" >"$REDIS_PORTFILE"
    log "redis: starting on 127.0.0.1:$REDIS_PORT (data in var/redis)"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
        --daemonize yes --pidfile "$REDIS_PIDFILE" --dir "$REDIS_DIR" \
        --logfile "$REDIS_DIR/redis.log"
    wait_until 15 redis_up || {
        tail -n 20 "$REDIS_DIR/redis.log" >&2 || true
        die "redis did not answer on 127.0.0.1:$REDIS_PORT"
    }
    log "redis: up"
}

stop_redis() {
    if ! redis_ours; then
        if redis_up; then
            log "redis: 127.0.0.1:$REDIS_PORT is not this clone's redis; leaving it running"
        else
            log "redis: not running"
        fi
        rm -f "$REDIS_PIDFILE"
        return 0
    fi
    local pid
    pid="$(pidfile_pid "$REDIS_PIDFILE")"
    log "redis: stopping (pid $pid)"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    wait_until 15 pid_gone "$pid" || kill_and_wait "$pid" redis
    rm -f "$REDIS_PIDFILE"
}

# ---------------------------------------------------------------- postgres

# Major version of the Debian "main" cluster; the newest if there are
# several. Prints nothing when no cluster exists.
pg_version() {
    pg_lsclusters --no-header 2>/dev/null | awk '$2 == "main" {print $1}' | sort -V | tail -n 1
}

# Makes sure a "main" cluster exists and is configured for POSTGRES_PORT.
pg_cluster() {
    local ver
    ver="$(pg_version)"
    if [[ -z "$ver" ]]; then
        ver="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)"
        [[ -n "$ver" ]] || die "no PostgreSQL server installed"
        log "postgres: creating cluster $ver/main" >&2
        pg_createcluster "$ver" main --port "$POSTGRES_PORT" >&2
    fi
    local port
    port="$(pg_conftool -s "$ver" main show port 2>/dev/null || echo 5432)"
    if [[ "$port" != "$POSTGRES_PORT" ]]; then
        log "postgres: cluster $ver/main was on port $port, switching it to $POSTGRES_PORT" >&2
        pg_conftool "$ver" main set port "$POSTGRES_PORT" >&2
        if pg_ctlcluster "$ver" main status >/dev/null 2>&1; then
            pg_ctlcluster "$ver" main restart >&2
        fi
    fi
    echo "$ver"
}

postgres_up() { pg_isready -q -h 127.0.0.1 -p "$POSTGRES_PORT"; }

# Runs SQL as the postgres superuser over the local socket (peer auth).
# `cd /` because the postgres user cannot enter every working directory.
pg_sql() {
    (cd / && runuser -u postgres -- psql -X -q -A -t -v ON_ERROR_STOP=1 \
        -p "$POSTGRES_PORT" -d postgres "$@")
}

ensure_pg_role_and_dbs() {
    pg_sql <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
        CREATE ROLE $PG_ROLE;
    END IF;
END
\$\$;
ALTER ROLE $PG_ROLE WITH LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
SQL
    local db
    for db in "${PG_DATABASES[@]}"; do
        # CREATE DATABASE cannot run inside DO/transactions, hence the check.
        if [[ -z "$(pg_sql -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
            log "postgres: creating database $db"
            pg_sql -c "CREATE DATABASE $db OWNER $PG_ROLE"
        else
            pg_sql -c "ALTER DATABASE $db OWNER TO $PG_ROLE"
        fi
    done
}

start_postgres() {
    local ver
    ver="$(pg_cluster)"
    if postgres_up; then
        log "postgres: already running on 127.0.0.1:$POSTGRES_PORT"
    else
        log "postgres: starting cluster $ver/main on localhost:$POSTGRES_PORT"
        pg_ctlcluster "$ver" main start
        wait_until 30 postgres_up || {
            tail -n 20 "/var/log/postgresql/postgresql-$ver-main.log" >&2 || true
            die "postgres did not answer on 127.0.0.1:$POSTGRES_PORT"
        }
        log "postgres: up"
    fi
    ensure_pg_role_and_dbs
}

stop_postgres() {
    local ver
    ver="$(pg_version)"
    if [[ -n "$ver" ]] && pg_ctlcluster "$ver" main status >/dev/null 2>&1; then
        log "postgres: stopping cluster $ver/main"
        pg_ctlcluster "$ver" main stop --mode fast
    else
        log "postgres: not running"
    fi
}

# ---------------------------------------------------------------- elasticsearch

es_java_home() {
    if [[ -n "${ES_JAVA_HOME:-}" ]]; then
        echo "$ES_JAVA_HOME"
    else
        # /usr/bin/java -> /usr/lib/jvm/java-17-openjdk-amd64/bin/java
        dirname "$(dirname "$(readlink -f "$(command -v java)")")"
    fi
}

es_url() { echo "http://127.0.0.1:$ES_PORT$1"; }

# Not `GET /`: the integ-test zip lacks the rest-root module, so the root
# endpoint answers 405 (and the Python client's ping()/info() fail too).
es_up() {
    curl -fsS -o /dev/null --max-time 2 "$(es_url '/_nodes/_local?filter_path=nodes.*.name')" 2>/dev/null
}

es_ours() { pidfile_alive "$ES_PIDFILE" org.elasticsearch; }

# The data path of whatever node answers on ES_PORT, to tell clones apart.
es_remote_data_path() {
    curl -fsS --max-time 5 "$(es_url '/_nodes/_local/settings?filter_path=nodes.*.settings.path.data')" 2>/dev/null \
        | sed -n 's/.*"data":"\([^"]*\)".*/\1/p' || true
}

# Per-clone directories, owned by the ES user. ES writes its keystore into
# the config dir on first start, so each clone gets its own copy of the
# config instead of sharing the (read-only) one in the cached ES_HOME.
prepare_es_dirs() {
    mkdir -p "$ES_DIR"/{data,logs,tmp}
    if [[ ! -d "$ES_DIR/config" ]]; then
        cp -R "$ES_HOME/config" "$ES_DIR/config"
    fi
    chown -R "$ES_USER:" "$ES_DIR"
    grant_traverse "$ES_DIR"
}

# Size of the server log when this start began, so that a failure shows
# only what this attempt logged, not the tail of an earlier run.
ES_LOG_OFFSET=0

es_log_size() { stat -c %s "$ES_DIR/logs/elasticsearch.log" 2>/dev/null || echo 0; }

es_log_tail() {
    local log="$ES_DIR/logs/elasticsearch.log"
    if [[ -s "$ES_DIR/start.out" ]]; then
        echo "---- last lines of $ES_DIR/start.out" >&2
        tail -n 30 "$ES_DIR/start.out" | cut -c 1-500 >&2
    fi
    if (($(es_log_size) > ES_LOG_OFFSET)); then
        echo "---- last lines of $log" >&2
        tail -c +$((ES_LOG_OFFSET + 1)) "$log" | tail -n 30 | cut -c 1-500 >&2
    fi
}

start_es() {
    if es_up; then
        if es_ours; then
            log "es: already running on 127.0.0.1:$ES_PORT"
        else
            log "es: something else already answers on 127.0.0.1:$ES_PORT, not this clone's node (var/es/es.pid); reusing it (its path.data: $(es_remote_data_path))"
        fi
        es_wait_healthy
        return 0
    fi
    if es_ours; then
        [[ "$(cat "$ES_PORTFILE" 2>/dev/null)" == "$ES_PORT" ]] \
            || die_other_port es ES_PORT "$ES_PORTFILE" "$ES_PIDFILE"
        # Started but not answering yet (e.g. a concurrent start): just wait.
        log "es: process already started, waiting for it"
        es_wait_healthy
        return 0
    fi
    prepare_es_dirs
    rm -f "$ES_PIDFILE"
    echo "$ES_PORT" >"$ES_PORTFILE"
    ES_LOG_OFFSET="$(es_log_size)"
    local java_home
    java_home="$(es_java_home)"
    [[ -x "$java_home/bin/java" ]] || die "no java at $java_home (set ES_JAVA_HOME)"

    # Settings go on the command line so the one cached ES_HOME can serve
    # several clones, each with its own port and data. The integ-test zip
    # has only four modules (apm, transport-netty4, x-pack-core,
    # x-pack-security): xpack.ml.enabled is still a known setting (x-pack-
    # core registers it), but ingest.geoip.downloader.enabled is rejected as
    # unknown (no ingest-geoip module, hence no downloader to disable).
    local -a settings=(
        -E discovery.type=single-node
        -E xpack.security.enabled=false
        -E network.host=127.0.0.1
        -E "http.port=$ES_PORT"
        -E "path.data=$ES_DIR/data"
        -E "path.logs=$ES_DIR/logs"
        -E cluster.routing.allocation.disk.threshold_enabled=false
        -E xpack.ml.enabled=false
    )
    log "es: starting Elasticsearch $ES_VERSION on 127.0.0.1:$ES_PORT as $ES_USER (heap $ES_HEAP, data in var/es)"
    local started=$SECONDS deadline=$((SECONDS + ES_START_TIMEOUT))
    # -d returns once the node has started (or failed to) and leaves it
    # running in the background; the launcher's console output (startup
    # errors) goes to var/es/start.out. `timeout` bounds a launcher that
    # hangs; the node it may leave behind is killed below.
    local rc=0
    (cd "$ES_DIR" && timeout --kill-after=10 "$ES_START_TIMEOUT" runuser -u "$ES_USER" -- env \
            ES_JAVA_HOME="$java_home" \
            ES_PATH_CONF="$ES_DIR/config" \
            ES_TMPDIR="$ES_DIR/tmp" \
            ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" \
            "$ES_HOME/bin/elasticsearch" -d -p "$ES_PIDFILE" "${settings[@]}" \
            >"$ES_DIR/start.out" 2>&1) || rc=$?
    if ((rc != 0)); then
        es_log_tail
        # Do not leave a half-started node holding the port and data dir.
        es_ours && kill_and_wait "$(pidfile_pid "$ES_PIDFILE")" elasticsearch
        ((rc == 124 || rc == 137)) && die "es: Elasticsearch did not start within ${ES_START_TIMEOUT}s (see above, and var/es/logs/)"
        die "es: Elasticsearch failed to start (see above, and var/es/logs/)"
    fi
    es_wait_healthy "$deadline"
    log "es: up after $((SECONDS - started))s"
}

# Waits (until DEADLINE, in $SECONDS terms) for the cluster to be yellow.
es_wait_healthy() {
    local health deadline="${1:-$((SECONDS + ES_START_TIMEOUT))}"
    until health="$(curl -fsS --max-time 10 \
            "$(es_url "/_cluster/health?wait_for_status=yellow&timeout=5s")" 2>/dev/null)" \
            && [[ "$health" != *'"timed_out":true'* ]]; do
        if ((SECONDS >= deadline)); then
            es_log_tail
            die "es: cluster on 127.0.0.1:$ES_PORT not yellow within ${ES_START_TIMEOUT}s"
        fi
        if [[ -f "$ES_PIDFILE" ]] && ! es_ours && ! es_up; then
            es_log_tail
            die "es: Elasticsearch process exited during startup"
        fi
        sleep 1
    done
}

stop_es() {
    if ! es_ours; then
        if es_up; then
            log "es: 127.0.0.1:$ES_PORT is not this clone's node; leaving it running"
        else
            log "es: not running"
        fi
        rm -f "$ES_PIDFILE"
        return 0
    fi
    local pid
    pid="$(pidfile_pid "$ES_PIDFILE")"
    log "es: stopping (pid $pid)"
    kill_and_wait "$pid" elasticsearch
    rm -f "$ES_PIDFILE"
}

# ---------------------------------------------------------------- s3 (versitygw)

# Any HTTP answer counts (an anonymous request gets 403).
s3_up() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$S3_PORT/" 2>/dev/null; }

s3_ours() { pidfile_alive "$S3_PIDFILE" versitygw; }

write_s3_credentials() {
    cat >"$S3_DIR/credentials" <<EOF
# Development and test keys of this clone's S3 store (scripts/services.sh).
S3_ENDPOINT=http://127.0.0.1:$S3_PORT
AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY
AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
# e.g. STORAGE_URL=s3://archive?endpoint=http://127.0.0.1:$S3_PORT&region=us-east-1
EOF
}

start_s3() {
    if s3_up; then
        if s3_ours; then
            log "s3: already running on 127.0.0.1:$S3_PORT"
        else
            log "s3: something else already answers on 127.0.0.1:$S3_PORT (not this clone's var/s3); reusing it"
        fi
        return 0
    fi
    s3_ours && die_other_port s3 S3_PORT "$S3_PORTFILE" "$S3_PIDFILE"
    mkdir -p "$S3_DIR/data"
    rm -f "$S3_PIDFILE"
    echo "$S3_PORT" >"$S3_PORTFILE"
    write_s3_credentials
    log "s3: starting versitygw on 127.0.0.1:$S3_PORT (data in var/s3)"
    # setsid: its own session, so a Ctrl-C of `make` does not take it down.
    ROOT_ACCESS_KEY="$S3_ACCESS_KEY" ROOT_SECRET_KEY="$S3_SECRET_KEY" \
        setsid "$S3_BIN" --port "127.0.0.1:$S3_PORT" posix "$S3_DIR/data" \
        >>"$S3_DIR/s3.log" 2>&1 </dev/null &
    echo $! >"$S3_PIDFILE"
    wait_until 15 s3_up || {
        tail -n 20 "$S3_DIR/s3.log" >&2 || true
        die "s3: versitygw did not answer on 127.0.0.1:$S3_PORT"
    }
    log "s3: up"
}

stop_s3() {
    if ! s3_ours; then
        if s3_up; then
            log "s3: 127.0.0.1:$S3_PORT is not this clone's store; leaving it running"
        else
            log "s3: not running"
        fi
        rm -f "$S3_PIDFILE"
        return 0
    fi
    local pid
    pid="$(pidfile_pid "$S3_PIDFILE")"
    log "s3: stopping (pid $pid)"
    kill_and_wait "$pid" versitygw
    rm -f "$S3_PIDFILE"
}

# ---------------------------------------------------------------- commands

for_each() {
    local action="$1" which="${2:-all}"
    case "$which" in
        redis | postgres | es | s3) "${action}_$which" ;;
        all) "${action}_redis"; "${action}_postgres"; "${action}_es"; "${action}_s3" ;;
        *) die "unknown service '$which' (expected redis, postgres, es, s3 or all)" ;;
    esac
}

cmd_start() {
    local which="${1:-all}"
    [[ "$which" =~ ^(redis|postgres|es|s3|all)$ ]] || for_each start "$which" # dies
    ensure_installed "$which"
    for_each start "$which"
}

cmd_stop() { for_each stop "${1:-all}"; }

cmd_status() {
    local note
    if redis_up; then
        redis_ours && note="" || note=" (not started by this clone)"
        echo "redis     up    127.0.0.1:$REDIS_PORT$note"
    else
        echo "redis     down  127.0.0.1:$REDIS_PORT"
    fi
    if command -v pg_isready >/dev/null && postgres_up; then
        echo "postgres  up    127.0.0.1:$POSTGRES_PORT"
    else
        echo "postgres  down  127.0.0.1:$POSTGRES_PORT"
    fi
    if es_up; then
        es_ours && note="" || note=" (not started by this clone)"
        echo "es        up    127.0.0.1:$ES_PORT$note"
    else
        echo "es        down  127.0.0.1:$ES_PORT"
    fi
    if s3_up; then
        s3_ours && note="" || note=" (not started by this clone)"
        echo "s3        up    127.0.0.1:$S3_PORT$note"
    else
        echo "s3        down  127.0.0.1:$S3_PORT"
    fi
}

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

main() {
    [[ $EUID -eq 0 ]] || die "run as root (installs packages and switches users)"
    local cmd="${1:-}"
    shift || true
    case "$cmd" in
        install) cmd_install ;;
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        status) cmd_status ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
