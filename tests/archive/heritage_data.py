"""A tiny archive for the heritage-format tests: public, internal and withheld photos with
Tajik, Russian and English text, GPS and camera data (which published files must not carry)."""

from __future__ import annotations

from pathlib import Path

from tests.archive.conftest import Cli, make_photo

TAJIK_TITLE = "Намади Хоруғ: қолинча, ҷӯроб ва ҳунари занон"
RUSSIAN_TITLE = "Войлок из Хорога"
ENGLISH_TITLE = "Felt from Khorog"
CAMERA_MODEL = "Canon EOS 7D"  # make_photo's camera
GPS = (37.489, 71.553)

SIDECARS = {
    "felt-public.jpg": f"""
title = {{ en = "{ENGLISH_TITLE}", ru = "{RUSSIAN_TITLE}", tg = "{TAJIK_TITLE}" }}
description = {{ en = "Felt laid out to dry.", tg = "Намад барои хушк кардан." }}
maker = "Women's felt group, Khorog"
technique = ["felting"]
material = ["sheep-wool"]
place = "khorog"
rights = "CC BY 4.0"
consent = "public"
""",
    "socks-public.jpg": """
title = "Jurab socks"
technique = ["knitting"]
consent = "public"
""",
    "portrait-internal.jpg": """
title = "Internal portrait"
consent = "internal"
""",
    "family-withheld.jpg": """
title = "Withheld family photo"
consent = "withheld"
""",
}


def sources(folder: Path) -> Path:
    """Four camera photos with sidecars; the first has GPS."""
    for number, (name, sidecar) in enumerate(SIDECARS.items()):
        make_photo(
            folder / name,
            size=(320 + 64 * number, 240),
            color=(40 * number, 90, 160),
            gps=GPS if number == 0 else None,
        )
        (folder / f"{name}.toml").write_text(sidecar, encoding="utf-8")
    return folder


def build(root: Path) -> tuple[Cli, dict[str, str]]:
    """Ingest the photos into ``root/archive``; returns the CLI and key by file name."""
    cli = Cli(root / "archive")
    cli("ingest", "-q", "--jobs", "1", str(sources(root / "DCIM")))
    listed = cli.json("list")
    keys = {Path(item["source_paths"][0]).name: item["key"] for item in listed}
    return cli, keys
