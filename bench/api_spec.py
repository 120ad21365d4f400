"""What the OpenAPI description costs: building it, serving it, and (nothing, it
should be) every other API request.

    .venv/bin/python bench/api_spec.py [--requests N]

Runs the development app on an in-memory SQLite database (no services needed;
Redis pointed at a closed port, so tokens are checked in the database) with an
admin's bearer token, and prints:

- the time to build the description (apispec over every route), first request;
- GET /api/v1/openapi.json once built (served from the cache on the app);
- GET /api/v1/documents/status?ids=1 (auth, schema, one query, JSON) before the
  description was ever built and after it was built and cached, interleaved, so
  any cost the description adds to other requests would show as a difference.

Prints figures only; nothing is asserted.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(client, url, headers, n) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return out


def show(name, samples) -> None:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{name:<48} p50 {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms   "
          f"(n={len(samples)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    n = parser.parse_args().requests
    load = os.getloadavg()[0]  # the machine is shared: say how busy it was

    from app import create_app
    from app.extensions import db
    from app.services.accounts import create_user, issue_token

    app = create_app("development", SQLALCHEMY_DATABASE_URI="sqlite://",
                     REDIS_URL="redis://127.0.0.1:1/0")
    with app.app_context():
        db.create_all()
        create_user("bench-admin", "mật-khẩu-đủ-dài-123", role="admin", clearance="tuyet_mat")
        headers = {"Authorization": f"Bearer {issue_token('bench-admin')}"}
    client = app.test_client()
    status = "/api/v1/documents/status?ids=1"

    timed(client, status, headers, 50)  # warm-up: imports, first queries
    before = timed(client, status, headers, n)
    started = time.perf_counter()
    timed(client, "/api/v1/openapi.json", headers, 1)
    build = (time.perf_counter() - started) * 1000
    served = timed(client, "/api/v1/openapi.json", headers, n)
    after = timed(client, status, headers, n)
    size = len(client.get("/api/v1/openapi.json", headers=headers).data)

    print(f"load average (1 min) at the start: {load:.2f}")
    print(f"first GET /api/v1/openapi.json (builds it)       {build:7.2f} ms   "
          f"({size // 1024} KB)")
    show("GET /api/v1/openapi.json (cached)", served)
    show("GET /api/v1/documents/status, never built", before)
    show("GET /api/v1/documents/status, built and cached", after)


if __name__ == "__main__":
    main()
