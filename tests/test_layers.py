"""The architecture holds: layers point one way, each library lives in one module,
only the CLI prints or exits, and the CLI goes through the application layer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from catalog.models import SUBJECT_FIELDS

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("archive", "catalog", "media")
CLI = "archive/cli/"
# What the CLI may take from the lower layers: their error types, nothing else.
CLI_MAY_IMPORT = {"catalog.errors", "media.errors"}
# Libraries that make `archive --help` slow; the CLI package loads them only inside commands.
HEAVY = (
    "PIL",
    "whoosh",
    "openpyxl",
    "jinja2",
    "ffmpeg",
    "exifread",
    "yaml",
    "filelock",
    "starlette",
    "uvicorn",
    "weasyprint",
)

# Third-party library → the one module allowed to import it.
HOMES = {
    "exifread": {"media/exif.py"},
    "PIL": {"media/images.py", "media/tiles.py"},
    "pillow_heif": {"media/images.py"},
    "pillow_jxl": {"media/images.py"},
    "rawpy": {"media/raw.py"},
    "ffmpeg": {"media/video.py"},
    # The index (search), its schema and analyzers, and the query compiler all speak whoosh.
    "whoosh": {
        "catalog/search.py",
        "catalog/indexschema.py",
        "catalog/compiler.py",
        "catalog/docsets.py",
        "catalog/parallelwriter.py",
    },
    "anyascii": {"catalog/folding.py"},
    # The site, print and the browser app load their templates through archive/templating.py.
    "jinja2": {"archive/templating.py"},
    "weasyprint": {"archive/printing/render.py"},
    "fontTools": {"archive/printing/render.py"},
    "pymorphy3": {"catalog/morphology.py"},
    "click": {"archive/cli/"},
    "filelock": {"archive/lock.py"},
    "yaml": {"archive/sidecars.py"},
    "openpyxl": {"archive/spreadsheet.py"},
    "starlette": {"archive/serve/"},
    "uvicorn": {"archive/serve/"},
    "babel": {"archive/export/i18n.py"},
    "markdown_it": {"archive/export/pagetext.py"},
    # Originals in S3-compatible buckets (archive/storage/): checksums, conditional puts.
    "botocore": {"archive/storage/s3.py"},
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
            if not any(rel == home or rel.startswith(home) for home in HOMES[library]):
                bad.append(f"{rel} imports {library} (its home is {sorted(HOMES[library])})")
    assert bad == []


def test_only_the_cli_prints_or_exits():
    bad = []
    for path in modules():
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith(CLI):
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


def imported_modules(path: Path) -> set[str]:
    """Full dotted names of every module imported anywhere in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_cli_uses_only_the_application_layer_and_error_types():
    bad = []
    for path in sorted((REPO / CLI).rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        for name in imported_modules(path):
            if name.split(".")[0] in ("catalog", "media") and name not in CLI_MAY_IMPORT:
                bad.append(f"{rel} imports {name}")
    assert bad == []


def test_the_cli_package_exists_and_no_module_is_over_500_lines():
    assert (REPO / CLI / "__init__.py").is_file()
    long = {
        p.relative_to(REPO).as_posix(): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


def test_starting_the_cli_loads_no_heavy_library():
    code = f"import sys, archive.cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == ""


def test_the_subject_fields_are_listed_once():
    """catalog.models.SUBJECT_FIELDS is the one list of the fields that hold terms (technique,
    material, object type, process step, place): every other list is made from it. A tuple,
    list or set written out with all of them is a second list that will drift. (Mappings
    of what people type to a field, like the query's field names, are not lists of them.)"""
    written = []
    for path in [*modules(), *sorted((REPO / "bench").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                names = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                if set(SUBJECT_FIELDS) <= names:
                    written.append(f"{path.relative_to(REPO).as_posix()}:{node.lineno}")
    assert [w.split(":")[0] for w in written] == ["catalog/models.py"], written
