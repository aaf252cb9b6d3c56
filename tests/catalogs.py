"""Compiling the translation catalogues (.po to .mo) from Python, so that
``flask run`` and the tests never serve a stale or missing catalogue."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kindness import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "kindness" / "translations"


def compile_catalogs(folder: Path = TRANSLATIONS) -> list[Path]:
    """Compile every catalogue whose .mo is missing or older than its .po."""
    catalogues = sorted(folder.glob("*/LC_MESSAGES/*.po"))
    # A wrong folder must not pass for "everything is up to date".
    if not catalogues:
        raise FileNotFoundError(f"no translation catalogues under {folder}")
    compiled = []
    for po_path in catalogues:
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        compiled.append(mo_path)
    return compiled
