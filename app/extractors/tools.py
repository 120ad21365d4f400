"""Running external converters (Tesseract, pdftoppm, LibreOffice, antiword) safely.

Each command runs in its own process group with a time limit; on timeout the
whole group is killed (LibreOffice's ``soffice`` starts a ``soffice.bin`` child).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path


class ToolTimeout(Exception):
    """The command ran out of time (and was killed)."""


@dataclass
class ToolResult:
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def err_text(self) -> str:
        return self.stderr.decode("utf-8", "replace").strip()


def which(name: str) -> str | None:
    return shutil.which(name)


def run(cmd: list[str], *, timeout: float, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> ToolResult:
    """Run *cmd*; raise :class:`ToolTimeout` after *timeout* seconds (group killed),
    ``FileNotFoundError`` when the program is missing."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=full_env, cwd=cwd,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=max(0.1, timeout))
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise ToolTimeout(f"{Path(cmd[0]).name} did not finish within {timeout:.0f} s") from None
    except BaseException:
        _kill_group(proc)
        raise
    return ToolResult(proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=10)
    except Exception:  # pragma: no cover - the group was killed
        pass
