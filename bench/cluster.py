"""Processes for the cluster drill: Elasticsearch nodes and archive instances.

An Elasticsearch node runs from the cached install that scripts/services.sh
unpacks (never as root: as the ES user), with its own data, logs and config
under the drill's work folder, on loopback ports. An archive instance is
scripts/run.sh (gunicorn and a supervised worker, reconcile and sweep) with its
own port, log folder and temporary folder, sharing the database, Redis, the
Elasticsearch cluster and the object store with the other instance.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchlib import ROOT

ES_VERSION = "8.19.21"
CACHE = Path(os.environ.get("ARCHIVE_CACHE_DIR", Path.home() / ".cache" / "vn-archive"))
ES_HOME = CACHE / f"elasticsearch-{ES_VERSION}"
ES_USER = os.environ.get("ES_USER", "archive-es")


def java_home() -> str:
    if os.environ.get("ES_JAVA_HOME"):
        return os.environ["ES_JAVA_HOME"]
    java = Path(shutil.which("java") or "/usr/bin/java").resolve()
    return str(java.parent.parent)


def get_json(url: str, timeout: float = 5) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # nosec B310 - loopback
        return json.loads(response.read())


class _Group:
    """A process started in its own session, stopped or killed with all its children."""

    proc: subprocess.Popen | None = None

    def kill(self) -> None:
        """Like a machine that dies: the whole group SIGKILLed, no goodbye to anyone."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self, timeout: float = 60) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        try:  # stragglers of the group (a work horse, a supervised child) go too
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, AttributeError):
            pass


class EsNode(_Group):
    """One node of a drill cluster; ``master`` nodes may be elected, the others hold data only."""

    def __init__(self, name: str, workdir: Path, http_port: int, transport_port: int,
                 seeds: list[int], master: bool, heap: str = "512m"):
        self.name, self.dir, self.http_port = name, workdir / f"es-{name}", http_port
        self.transport_port, self.seeds, self.master, self.heap = (
            transport_port, seeds, master, heap)
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self, initial_master: str) -> None:
        for sub in ("data", "logs", "tmp"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        if not (self.dir / "config").exists():
            shutil.copytree(ES_HOME / "config", self.dir / "config")
        subprocess.run(["chown", "-R", f"{ES_USER}:", str(self.dir)], check=True)
        roles = "master,data" if self.master else "data"
        settings = {
            "cluster.name": "archive-drill", "node.name": self.name, "node.roles": roles,
            "network.host": "127.0.0.1", "http.port": self.http_port,
            "transport.port": self.transport_port,
            "discovery.seed_hosts": ",".join(f"127.0.0.1:{p}" for p in self.seeds),
            "cluster.initial_master_nodes": initial_master,
            "xpack.security.enabled": "false", "xpack.ml.enabled": "false",
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            "path.data": self.dir / "data", "path.logs": self.dir / "logs",
        }
        args = [a for k, v in settings.items() for a in ("-E", f"{k}={v}")]
        env = {"PATH": os.environ["PATH"], "ES_JAVA_HOME": java_home(),
               "ES_PATH_CONF": str(self.dir / "config"), "ES_TMPDIR": str(self.dir / "tmp"),
               "ES_JAVA_OPTS": f"-Xms{self.heap} -Xmx{self.heap}"}
        out = (self.dir / "start.out").open("ab")
        self.proc = subprocess.Popen(
            ["runuser", "-u", ES_USER, "--", "env", *[f"{k}={v}" for k, v in env.items()],
             str(ES_HOME / "bin" / "elasticsearch"), *args],
            cwd=self.dir, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_up(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc and self.proc.poll() is not None:
                raise RuntimeError(f"Elasticsearch {self.name} exited; see {self.dir}/logs")
            try:
                get_json(f"{self.url}/_cluster/health")  # the integ-test build has no GET /
                return
            except OSError:
                time.sleep(1)
        raise RuntimeError(f"Elasticsearch {self.name} did not start; see {self.dir}/logs")



def cluster_health(url: str, wait_for: str | None = None, timeout: str = "60s") -> dict:
    query = f"?wait_for_status={wait_for}&timeout={timeout}" if wait_for else ""
    return get_json(f"{url}/_cluster/health{query}", timeout=90)


class Instance(_Group):
    """scripts/run.sh: one web process (gunicorn) and one supervised worker."""

    def __init__(self, name: str, workdir: Path, port: int, env: dict[str, str]):
        self.name, self.dir, self.port = name, workdir / f"app-{name}", port
        self.url = f"http://127.0.0.1:{port}"
        (self.dir / "tmp").mkdir(parents=True, exist_ok=True)
        self.env = {**env, "PORT": str(port), "LOG_DIR": str(self.dir / "log"),
                    "TMPDIR": str(self.dir / "tmp")}
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = (self.dir / "run.log").open("ab")
        self.proc = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=self.env,
                                     stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_up(self, timeout: float = 120) -> None:
        deadline, last = time.monotonic() + timeout, "no answer"
        while time.monotonic() < deadline:
            try:
                if get_json(f"{self.url}/healthz")["checks"]["workers"]["alive"]:
                    return
            except urllib.error.HTTPError as exc:  # 503: which check is down
                last = exc.read().decode(errors="replace")[:500]
            except (OSError, KeyError, ValueError) as exc:
                last = repr(exc)
            time.sleep(1)
        raise RuntimeError(f"archive {self.name} did not come up (last /healthz: {last}); "
                           f"see {self.dir}/run.log")

