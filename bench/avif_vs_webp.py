"""Whether AVIF saves 20 % over the site's WebP at the same look (SSIM from ffmpeg's filter).

python -m bench.avif_vs_webp PHOTO... (at the mid spec's size and quality)
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

try:
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover
    pass

SIZE, WEBP_QUALITY = 720, 70  # the mid spec


def ssim(reference: Path, other: Path) -> float:
    """SSIM (all planes) of ``other`` against ``reference`` by ffmpeg's ssim filter."""
    result = subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-i",
            str(other),
            "-i",
            str(reference),
            "-lavfi",
            "ssim",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return float(re.search(r"All:([0-9.]+)", result.stderr).group(1))


def compare(photo: Path, tmp: Path) -> tuple[int, float, int, int, float]:
    with Image.open(photo) as im:
        im = ImageOps.exif_transpose(im.convert("RGB"))
    im.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS)
    reference = tmp / "ref.png"
    im.save(reference)
    webp = tmp / "x.webp"
    im.save(webp, "WEBP", quality=WEBP_QUALITY, method=4)
    target = ssim(reference, webp)
    # The smallest AVIF quality whose SSIM is at least the WebP's.
    for quality in range(30, 96, 3):
        avif = tmp / "x.avif"
        im.save(avif, "AVIF", quality=quality, speed=6)
        decoded = tmp / "avif.png"
        with Image.open(avif) as a:
            a.convert("RGB").save(decoded)
        score = ssim(reference, decoded)
        if score >= target:
            return webp.stat().st_size, target, avif.stat().st_size, quality, score
    return webp.stat().st_size, target, 0, 0, 0.0


def main(paths: list[str]) -> None:
    total_webp = total_avif = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in paths:
            w, ws, a, q, s = compare(Path(name), Path(tmp))
            total_webp, total_avif = total_webp + w, total_avif + a
            print(
                f"{Path(name).name}: webp q{WEBP_QUALITY} {w} B ssim {ws:.4f}; "
                f"avif q{q} {a} B ssim {s:.4f}; saves {1 - a / w:.0%}"
            )
    print(f"all: webp {total_webp} B, avif {total_avif} B, saves {1 - total_avif / total_webp:.0%}")


if __name__ == "__main__":
    main(sys.argv[1:])
