"""The floor for photo derivatives: a bare Pillow script, one reduced decode per file.

python -m bench.pillow_floor SRC OUT JOBS
"""

from __future__ import annotations

import sys
from multiprocessing import Pool
from pathlib import Path

from PIL import Image, ImageOps

try:
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover
    pass


def one(args: tuple[Path, Path]) -> None:
    source, out = args
    try:
        with Image.open(source) as im:
            im.draft("RGB", (1600, 1600))
            im = ImageOps.exif_transpose(im.convert("RGB"))
        im.thumbnail((1600, 1600), Image.Resampling.LANCZOS, reducing_gap=3.0)
        im.save(out / f"{source.stem}-1600.webp", "WEBP", quality=80, method=4)
        im.thumbnail((320, 320), Image.Resampling.LANCZOS, reducing_gap=3.0)
        im.save(out / f"{source.stem}-320.webp", "WEBP", quality=72, method=4)
    except Exception:  # the floor skips what it cannot read
        pass


def main() -> None:
    src, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    files = sorted(p for p in src.iterdir() if p.is_file())
    with Pool(jobs) as pool:
        pool.map(one, [(f, out) for f in files], chunksize=1)


if __name__ == "__main__":
    main()
