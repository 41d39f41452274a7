"""Ingest and export speed, side by side with the tools people would use instead.

    .venv/bin/python bench/ingest.py                 # photos (4 ways) + video + scale
    .venv/bin/python bench/ingest.py --photos 20 --runs 1 --no-scale   # a quick look

Photos: the same folder (generated 24-megapixel JPEGs with EXIF, plus the corpus photos)
goes through `archive ingest`, `vipsthumbnail`, `sigal build` and a bare Pillow script,
each making a 1600 px and a 320 px WebP on both cores. Video: the preview transcode through
the archive's code and the same ffmpeg command run by hand. Scale: re-ingest of 10,000
unchanged files, export of 10,000 items, and peak memory of ingesting 1,000 and 10,000 files.
Medians over --runs runs; ratios are this project's number divided by the other's.
Needs: vipsthumbnail (apt-get install libvips-tools) and sigal in .venv-bench
(python3 -m venv .venv-bench && .venv-bench/bin/pip install sigal==2.6.1 pillow-heif).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from multiprocessing import Pool
from pathlib import Path

from PIL import Image

from bench.common import (
    ARCHIVE_BIN,
    BENCH_VENV,
    DATA,
    REPO,
    Timing,
    fresh,
    machine,
    median,
    run_timed,
    table,
)

CORES = "2"
SIGAL_CONF = """\
source = {source!r}
destination = {dest!r}
img_size = (1600, 1600)
thumb_size = (320, 320)
thumb_fit = False
img_format = "WEBP"
keep_orig = False
copy_exif_data = False
make_thumbs = True
zip_gallery = False
video_converter = None
"""


# -- data -------------------------------------------------------------------------------


def _make_big(args: tuple[Path, int]) -> None:
    path, seed = args
    if path.exists():
        return
    size = (6000, 4000)
    noise = Image.effect_noise(size, 48 + seed % 16)
    gradient = Image.linear_gradient("L").resize(size)
    other = gradient.transpose(Image.Transpose.ROTATE_90).resize(size)
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, other, 0.5)))
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "Canon EOS 5D Mark IV"
    exif[0x0112] = 1
    exif.get_ifd(0x8769)[0x9003] = f"2015:08:{1 + seed % 28:02d} 10:{seed % 60:02d}:00"
    tmp = path.with_suffix(".tmp")
    image.save(tmp, "JPEG", quality=90, exif=exif.tobytes())
    tmp.rename(path)


def photo_folder(count: int) -> Path:
    """A folder with ``count`` generated 24 MP JPEGs and the corpus photos."""
    folder = DATA / f"photos-{count}"
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(folder / f"field-{i:04d}.jpg", i) for i in range(count)]
    missing = [j for j in jobs if not j[0].exists()]
    if missing:
        print(f"generating {len(missing)} 24-megapixel JPEGs in {folder} …", file=sys.stderr)
        with Pool(2) as pool:
            pool.map(_make_big, missing)
    corpus = Path(os.environ.get("PAMIR_CORPUS", REPO.parent / "shared" / "corpus")) / "photos"
    if corpus.is_dir():
        for photo in corpus.iterdir():
            target = folder / f"corpus-{photo.name.replace(' ', '_')}"
            if not target.exists():
                shutil.copy(photo, target)
    return folder


# -- the four ways ------------------------------------------------------------------------


def way_archive(src: Path, out: Path) -> Timing:
    return run_timed(
        [str(ARCHIVE_BIN), "-a", str(out / "archive"), "ingest", "-q", "--jobs", CORES, str(src)]
    )


def way_vips(src: Path, out: Path) -> Timing:
    files = "\n".join(str(p) for p in sorted(src.iterdir()))
    script = (
        f'xargs -d "\\n" -P {CORES} -I{{}} sh -c '
        f'\'vipsthumbnail "{{}}" -s 1600x1600 -o "{out}/%s-1600.webp[Q=80]" 2>/dev/null; '
        f'vipsthumbnail "{{}}" -s 320x320 -o "{out}/%s-320.webp[Q=72]" 2>/dev/null; true\''
    )
    listing = out / "files.txt"
    listing.write_text(files + "\n")
    return run_timed(["sh", "-c", f"{script} < {listing}"])


def way_sigal(src: Path, out: Path) -> Timing:
    conf = out / "sigal.conf.py"
    conf.write_text(SIGAL_CONF.format(source=str(src), dest=str(out / "site")))
    return run_timed(
        [str(BENCH_VENV / "bin" / "sigal"), "build", "-c", str(conf), "-n", CORES, "-q"]
    )


def way_pillow(src: Path, out: Path) -> Timing:
    return run_timed(
        [sys.executable, "-m", "bench.pillow_floor", str(src), str(out), CORES], cwd=REPO
    )


WAYS = {
    "archive ingest": way_archive,
    "bare Pillow (floor)": way_pillow,
    "vipsthumbnail": way_vips,
    "sigal build": way_sigal,
}


def bench_photos(count: int, runs: int) -> dict[str, object]:
    src = photo_folder(count)
    n = len(list(src.iterdir()))
    results: dict[str, list[Timing]] = {name: [] for name in WAYS}
    for run in range(runs):
        for name, way in WAYS.items():
            out = fresh(DATA / "out" / name.split()[0])
            results[name].append(way(src, out))
            print(f"  run {run + 1}: {name}: {results[name][-1].wall:.1f} s", file=sys.stderr)
    summary = {
        name: {
            "wall_s": median([t.wall for t in ts]),
            "cpu_s": median([t.cpu for t in ts]),
            "cpu_per_image_s": median([t.cpu for t in ts]) / n,
            "images_per_s": n / median([t.wall for t in ts]),
        }
        for name, ts in results.items()
    }
    ours = summary["archive ingest"]
    rows = [["way", "wall s", "CPU s", "CPU s/image", "images/s", "archive ÷ this (wall)"]]
    for name, s in summary.items():
        rows.append(
            [
                name,
                f"{s['wall_s']:.1f}",
                f"{s['cpu_s']:.1f}",
                f"{s['cpu_per_image_s']:.3f}",
                f"{s['images_per_s']:.2f}",
                f"{ours['wall_s'] / s['wall_s']:.2f}",
            ]
        )
    print(f"\nPhotos: {n} files ({count} generated 24 MP JPEGs + corpus), {runs} runs, medians")
    print(table(rows))
    floor, vips, sigal = (
        summary[k] for k in ("bare Pillow (floor)", "vipsthumbnail", "sigal build")
    )
    aims = {
        "archive / Pillow floor (wall), aim <= 1.25": ours["wall_s"] / floor["wall_s"],
        "archive / vipsthumbnail (wall), aim <= 0.7": ours["wall_s"] / vips["wall_s"],
        "archive throughput / sigal throughput, aim >= 2": sigal["wall_s"] / ours["wall_s"],
    }
    for label, value in aims.items():
        print(f"  {label}: {value:.2f}")
    return {"files": n, "runs": runs, "ways": summary, "aims": aims}


# -- video ------------------------------------------------------------------------------


def bench_video(runs: int) -> dict[str, object]:
    video = DATA / "video-1080p-20s.mp4"
    if not video.exists():
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=1920x1080:rate=30",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440",
                "-t",
                "20",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "18",
                "-c:a",
                "aac",
                "-pix_fmt",
                "yuv420p",
                str(video),
            ],
            check=True,
        )
    out = fresh(DATA / "out" / "video")
    ours_cmd = [
        sys.executable,
        "-c",
        "import sys; from pathlib import Path; from media.video import transcode_preview;"
        "transcode_preview(Path(sys.argv[1]), Path(sys.argv[2]), max_height=720, crf=26,"
        " preset='veryfast', audio_bitrate='96k', has_audio=True)",
        str(video),
        str(out / "ours.mp4"),
    ]
    hand_cmd = [
        "ffmpeg",
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        "-i",
        str(video),
        "-map",
        "0:v:0",
        "-map",
        "0:a:0",
        "-vf",
        "scale=w=trunc(oh*a/2)*2:h=min(720\\,trunc(ih/2)*2),format=yuv420p",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "26",
        "-profile:v",
        "main",
        "-c:a",
        "aac",
        "-b:a",
        "96k",
        "-ac",
        "2",
        "-movflags",
        "+faststart",
        "-map_metadata",
        "-1",
        "-map_chapters",
        "-1",
        "-f",
        "mp4",
        str(out / "hand.mp4"),
    ]
    ours, hand = [], []
    for _ in range(runs):
        ours.append(run_timed(ours_cmd, cwd=REPO))
        hand.append(run_timed(hand_cmd))
    o_cpu, h_cpu = median([t.cpu for t in ours]), median([t.cpu for t in hand])
    o_wall, h_wall = median([t.wall for t in ours]), median([t.wall for t in hand])
    print(f"\nVideo preview of a 20 s 1080p clip, {runs} runs, medians")
    print(
        table(
            [
                ["way", "wall s", "CPU s"],
                ["archive (media.video.transcode_preview)", f"{o_wall:.2f}", f"{o_cpu:.2f}"],
                ["ffmpeg by hand, same settings", f"{h_wall:.2f}", f"{h_cpu:.2f}"],
            ]
        )
    )
    print(f"  archive / by hand (CPU), aim <= 1.1: {o_cpu / h_cpu:.2f}")
    return {
        "archive_wall_s": o_wall,
        "archive_cpu_s": o_cpu,
        "hand_wall_s": h_wall,
        "hand_cpu_s": h_cpu,
        "ratio_cpu": o_cpu / h_cpu,
        "hand_command": hand_cmd,
    }


# -- scale ----------------------------------------------------------------------------------


def _make_tiny(args: tuple[Path, int]) -> None:
    path, seed = args
    if path.exists():
        return
    image = Image.new("RGB", (64, 48), (seed % 256, (seed // 256) % 256, 90))
    image.putpixel((seed % 64, seed % 48), (255, 255, 255))
    exif = Image.Exif()
    exif[0x010F] = "Nokia"
    exif[0x0110] = "N70"
    exif.get_ifd(0x8769)[0x9003] = f"20{10 + seed % 10}:0{1 + seed % 9}:11 12:00:00"
    image.save(path, "JPEG", quality=80, exif=exif.tobytes())


def tiny_folder(count: int) -> Path:
    folder = DATA / f"tiny-{count}"
    jobs = [(folder / f"{i // 1000:02d}" / f"IMG_{i:05d}.jpg", i) for i in range(count)]
    for sub in {p.parent for p, _ in jobs}:
        sub.mkdir(parents=True, exist_ok=True)
    missing = [j for j in jobs if not j[0].exists()]
    if missing:
        print(f"generating {len(missing)} small JPEGs in {folder} …", file=sys.stderr)
        with Pool(2) as pool:
            pool.map(_make_tiny, missing, chunksize=200)
    return folder


def bench_scale(runs: int, big: int, small: int) -> dict[str, object]:
    results: dict[str, object] = {}
    peaks = {}
    for count in (small, big):
        src = tiny_folder(count)
        firsts = []
        for _ in range(runs):
            archive = fresh(DATA / "out" / f"scale-{count}") / "archive"
            first = run_timed(
                [str(ARCHIVE_BIN), "-a", str(archive), "ingest", "-q", "-j", CORES, str(src)]
            )
            firsts.append(first)
            print(
                f"  first ingest of {count}: {first.wall:.1f} s, peak {first.peak_mb:.0f} MB",
                file=sys.stderr,
            )
        peaks[count] = median([t.peak_mb for t in firsts])
        results[f"first_ingest_{count}_s"] = median([t.wall for t in firsts])
    src = tiny_folder(big)
    archive = DATA / "out" / f"scale-{big}" / "archive"
    again = [
        run_timed([str(ARCHIVE_BIN), "-a", str(archive), "ingest", "-q", str(src)])
        for _ in range(runs)
    ]
    subprocess.run(
        [str(ARCHIVE_BIN), "-a", str(archive), "edit", "--query", "*", "--set", "consent=public"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    site = DATA / "out" / "scale-site"
    if site.exists():
        shutil.rmtree(site)
    first_export = run_timed([str(ARCHIVE_BIN), "-a", str(archive), "export", str(site)])
    second = [
        run_timed([str(ARCHIVE_BIN), "-a", str(archive), "export", str(site)]) for _ in range(runs)
    ]
    report = json.loads(
        subprocess.run(
            [str(ARCHIVE_BIN), "-a", str(archive), "export", str(site), "--json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    results.update(
        {
            f"reingest_{big}_s": median([t.wall for t in again]),
            f"first_export_{big}_s": first_export.wall,
            f"second_export_{big}_s": median([t.wall for t in second]),
            "second_export_files_written": len(report["written"]),
            f"peak_mb_{small}": peaks[small],
            f"peak_mb_{big}": peaks[big],
            "peak_ratio": peaks[big] / peaks[small],
        }
    )
    print(f"\nScale: {big} small photos, {runs} runs, medians")
    print(
        table(
            [
                ["measure", "value", "aim"],
                [
                    f"first ingest of {small} files",
                    f"{results[f'first_ingest_{small}_s']:.1f} s",
                    "",
                ],
                [f"first ingest of {big} files", f"{results[f'first_ingest_{big}_s']:.1f} s", ""],
                [
                    f"re-ingest of {big} unchanged files",
                    f"{results[f'reingest_{big}_s']:.2f} s",
                    "< 3 s",
                ],
                [f"first export of {big} items", f"{first_export.wall:.1f} s", "< 60 s"],
                [
                    f"second export of {big} items",
                    f"{results[f'second_export_{big}_s']:.2f} s",
                    "< 3 s",
                ],
                ["files written by the second export", str(len(report["written"])), "0"],
                [f"peak memory, ingest of {small}", f"{peaks[small]:.0f} MB", ""],
                [f"peak memory, ingest of {big}", f"{peaks[big]:.0f} MB", ""],
                [
                    f"peak memory {big} / {small}",
                    f"{peaks[big] / peaks[small]:.2f}",
                    "<= 1.20",
                ],
            ]
        )
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=200, help="generated 24 MP JPEGs")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-photos", action="store_true")
    parser.add_argument("--no-video", action="store_true")
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--scale", type=int, default=10_000, help="files for the scale part")
    args = parser.parse_args()
    print(machine())
    results: dict[str, object] = {"machine": machine()}
    if not args.no_photos:
        results["photos"] = bench_photos(args.photos, args.runs)
    if not args.no_video:
        results["video"] = bench_video(args.runs)
    if not args.no_scale:
        results["scale"] = bench_scale(args.runs, args.scale, args.scale // 10)
    out = DATA / "results-ingest.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
