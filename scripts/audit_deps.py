"""pip-audit over the pinned runtime dependencies, as part of ``make test``.

Fails (exit 1) when a pinned version has a known vulnerability. When the
vulnerability data cannot be reached (this machine's PyPI mirror serves no
per-version JSON and api.osv.dev is not reachable), it says so loudly and
lists what was not audited, without failing: an unreachable service is not
a finding, but it is never reported as "no vulnerabilities" either.
"""
from __future__ import annotations

import json
import subprocess  # nosec B404 - fixed argument list
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    done = subprocess.run(  # nosec B603 - fixed argv
        [str(ROOT / ".venv" / "bin" / "pip-audit"), "-r", str(ROOT / "requirements.txt"),
         "--no-deps", "--disable-pip", "--progress-spinner", "off", "-f", "json"],
        capture_output=True, text=True, timeout=600, check=False)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit: could not run ({done.stderr.strip()[:300]})", file=sys.stderr)
        return 1
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if "skip_reason" in d]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            print(f"pip-audit: {dep['name']} {dep['version']}: {vuln['id']} "
                  f"(fixed in {', '.join(vuln.get('fix_versions') or ['?'])})")
    if vulnerable:
        return 1
    audited = len(deps) - len(skipped)
    print(f"pip-audit: {audited} of {len(deps)} pinned dependencies audited, "
          f"no known vulnerabilities among them.")
    if skipped:
        print(f"pip-audit: WARNING {len(skipped)} NOT AUDITED, vulnerability data unreachable "
              f"({skipped[0]['skip_reason']}): " + ", ".join(d["name"] for d in skipped))
    return 0


if __name__ == "__main__":
    sys.exit(main())
