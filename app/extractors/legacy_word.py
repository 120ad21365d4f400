"""Word 97-2003 (.doc, OLE2) and RTF, converted by LibreOffice.

LibreOffice (Debian ``libreoffice-writer-nogui``) is the well-kept reader of both
formats. It runs headless with a throw-away profile (so that conversions can run
side by side), converts the file to DOCX, and the DOCX parser reads the result:
tables, headers/footers and footnotes come out as for any DOCX. The file is
copied under a neutral name first (``input.doc``/``input.rtf``): corpus names
carry ``!~!``, ``&`` and spaces, and the extension follows the detected type, so
a "``.doc``" that is really RTF is read as RTF.

``.doc`` falls back to ``antiword`` (Debian ``antiword``, 600 KB) when LibreOffice
is not installed or fails on the file. Both missing: ``unsupported`` with the
packages to install. LibreOffice does not give a page count for .doc (the
document's SummaryInformation count is usually stale), so ``page_count`` is None.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from .base import CORRUPT, ENCRYPTED, UNSUPPORTED, ExtractionError, ExtractionResult, Parser
from .docx import DocxParser
from .tools import ToolTimeout, run, which

MSWORD = "application/msword"
RTF_TYPES = ("text/rtf", "application/rtf")


def libreoffice() -> str | None:
    return which("soffice") or which("libreoffice")


def convert_to_docx(src: Path, suffix: str, tmp: Path, timeout: float) -> Path:
    """Convert *src* with LibreOffice into a DOCX in *tmp*; return its path."""
    binary = libreoffice()
    if binary is None:
        raise FileNotFoundError("soffice")
    work = tmp / "in"
    work.mkdir()
    src_copy = work / f"input{suffix}"
    shutil.copyfile(src, src_copy)
    out_dir = tmp / "out"
    profile = tmp / "profile"
    cmd = [binary, "--headless", "--norestore", "--nolockcheck", "--nodefault",
           f"-env:UserInstallation={profile.as_uri()}",
           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(src_copy)]
    res = run(cmd, timeout=timeout, env={"HOME": str(tmp), "SAL_USE_VCLPLUGIN": "svp"})
    out = out_dir / "input.docx"
    if not out.exists() or out.stat().st_size == 0:
        detail = (res.err_text or res.stdout.decode("utf-8", "replace")).strip()
        raise RuntimeError(f"LibreOffice could not convert the file ({res.returncode}): {detail[-300:]}")
    return out


class _ConvertedParser(Parser):
    suffix = ".doc"
    kind = ""

    def _docx_text(self, path: Path, tmp: Path) -> ExtractionResult:
        docx_path = convert_to_docx(path, self.suffix, tmp, self.limits.convert_timeout_s)
        inner = DocxParser(self.limits)
        # the raw text is needed (legacy encodings are fixed by the outer extract)
        res = inner._extract(docx_path)
        res.page_count = None  # LibreOffice writes no page count into docProps/app.xml
        res.warnings = [w for w in res.warnings if "docProps/app.xml" not in w]
        return res


class LegacyWordParser(_ConvertedParser):
    media_types = (MSWORD,)
    method = "doc-libreoffice"
    suffix = ".doc"

    def _extract(self, path: Path) -> ExtractionResult:
        warnings: list[str] = []
        if libreoffice():
            with tempfile.TemporaryDirectory(prefix="lo-") as tmp:
                try:
                    res = self._docx_text(path, Path(tmp))
                    return ExtractionResult(text=res.text, page_count=None, method=self.method,
                                            methods=["libreoffice", "docx"],
                                            warnings=res.warnings + warnings,
                                            details={"converter": "libreoffice"})
                except (RuntimeError, ToolTimeout) as exc:
                    warnings.append(str(exc))
        else:
            warnings.append("LibreOffice is not installed (Debian libreoffice-writer-nogui)")
        if which("antiword"):
            return self._antiword(path, warnings)
        if len(warnings) == 1 and "not installed" in warnings[0]:
            raise ExtractionError(
                UNSUPPORTED, "Word 97-2003 (.doc) needs LibreOffice or antiword, neither is "
                "installed (Debian libreoffice-writer-nogui / antiword)")
        raise ExtractionError(CORRUPT, "; ".join(warnings))

    def _antiword(self, path: Path, warnings: list[str]) -> ExtractionResult:
        try:
            res = run([which("antiword"), "-m", "UTF-8.txt", "-w", "0", str(path)],
                      timeout=self.limits.convert_timeout_s)
        except ToolTimeout as exc:
            raise ExtractionError(CORRUPT, f"{'; '.join(warnings + [str(exc)])}") from exc
        err = res.err_text
        if res.returncode != 0:
            if "encrypt" in err.lower():
                raise ExtractionError(ENCRYPTED, f"password-protected Word document: {err[:200]}")
            raise ExtractionError(CORRUPT, "; ".join(warnings + [f"antiword: {err[:300]}"]))
        text = res.stdout.decode("utf-8", "replace")
        # antiword draws table borders with '|'
        text = re.sub(r"[ \t]*\|[ \t]*", "\n", text)
        return ExtractionResult(text=text, page_count=None, method="doc-antiword",
                                methods=["antiword"], warnings=warnings,
                                details={"converter": "antiword"})


class RtfParser(_ConvertedParser):
    media_types = RTF_TYPES
    method = "rtf-libreoffice"
    suffix = ".rtf"

    def _extract(self, path: Path) -> ExtractionResult:
        if not libreoffice():
            raise ExtractionError(
                UNSUPPORTED, "RTF needs LibreOffice, which is not installed "
                "(Debian libreoffice-writer-nogui)")
        with tempfile.TemporaryDirectory(prefix="lo-") as tmp:
            try:
                res = self._docx_text(path, Path(tmp))
            except ToolTimeout as exc:
                raise ExtractionError(CORRUPT, f"RTF conversion: {exc}") from exc
            except RuntimeError as exc:
                raise ExtractionError(CORRUPT, str(exc)) from exc
        return ExtractionResult(text=res.text, page_count=None, method=self.method,
                                methods=["libreoffice", "docx"], warnings=res.warnings,
                                details={"converter": "libreoffice"})
