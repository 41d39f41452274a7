"""The architecture holds: layers point one way, each library lives in one module,
and only the CLI prints or exits."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("archive", "catalog", "media")

# Third-party library → the one module allowed to import it.
HOMES = {
    "exifread": {"media/exif.py"},
    "PIL": {"media/images.py"},
    "pillow_heif": {"media/images.py"},
    "ffmpeg": {"media/video.py"},
    "whoosh": {"catalog/search.py"},
    "anyascii": {"catalog/folding.py"},
    "jinja2": {"archive/export/site.py"},
    "click": {"archive/cli.py", "archive/curation_cli.py"},
    "yaml": {"archive/sidecars.py"},
    "openpyxl": {"archive/spreadsheet.py"},
}


def modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (REPO / pkg).rglob("*.py"))


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_media_and_catalog_know_nothing_above_or_of_each_other():
    bad = []
    for path in modules():
        rel = path.relative_to(REPO).as_posix()
        top = rel.split("/")[0]
        used = imports(path)
        if top == "media" and used & {"catalog", "archive"}:
            bad.append(f"{rel} imports {sorted(used & {'catalog', 'archive'})}")
        if top == "catalog" and used & {"media", "archive"}:
            bad.append(f"{rel} imports {sorted(used & {'media', 'archive'})}")
    assert bad == []


def test_each_third_party_library_is_imported_in_one_module():
    bad = []
    for path in modules():
        rel = path.relative_to(REPO).as_posix()
        for library in imports(path) & set(HOMES):
            if rel not in HOMES[library]:
                bad.append(f"{rel} imports {library} (its home is {sorted(HOMES[library])})")
    assert bad == []


def test_only_the_cli_prints_or_exits():
    bad = []
    for path in modules():
        rel = path.relative_to(REPO).as_posix()
        if rel in ("archive/cli.py", "archive/curation_cli.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = getattr(func, "id", None) or getattr(func, "attr", None)
                owner = getattr(getattr(func, "value", None), "id", None)
                if name == "print" and owner is None:
                    bad.append(f"{rel}:{node.lineno} print()")
                if name == "exit" and owner == "sys":
                    bad.append(f"{rel}:{node.lineno} sys.exit()")
    assert bad == []


def test_every_module_starts_with_a_one_line_docstring():
    missing = [
        p.relative_to(REPO).as_posix()
        for p in modules()
        if p.stat().st_size and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert missing == []
