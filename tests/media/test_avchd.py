"""media.avchd: the date, make and model an AVCHD camera writes into the H.264 stream (MDPM)."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from media import avchd
from media.probe import probe

SONY_MTS = "videos/Sony ILCE-7M3 (A7M3).mts"


def test_sony_mts_date_make_model_match_exiftool(corpus: Path, ffmpeg_tools: None) -> None:
    truth = json.loads((corpus / "truth" / f"{SONY_MTS}.json").read_text(encoding="utf-8"))[0]
    found = avchd.read_mdpm(corpus / SONY_MTS)
    assert found is not None
    # exiftool: "2019:04:24 22:24:00+02:00 DST" (the zone is left out when DST is set)
    assert truth["H264:DateTimeOriginal"].startswith("2019:04:24 22:24:00")
    assert truth["H264:DateTimeOriginal"].endswith(" DST")
    assert found.taken_at == "2019-04-24T22:24:00" and found.dst
    assert found.camera_make == "Sony" and truth["H264:Make"] == 0x0108
    assert found.camera_model == truth["H264:Model"] == "ILCE-7M3"
    info = probe(corpus / SONY_MTS)
    assert (info.taken_at, info.camera_make, info.camera_model) == (
        "2019-04-24T22:24:00",
        "Sony",
        "ILCE-7M3",
    )


# ---- a transport stream made here, byte by byte --------------------------------------------


def _entries(*pairs: tuple[int, bytes]) -> bytes:
    return bytes([len(pairs)]) + b"".join(bytes([tag]) + value for tag, value in pairs)


def _sei_nal(mdpm_body: bytes) -> bytes:
    payload = avchd.MDPM_UUID + b"MDPM" + mdpm_body
    rbsp = bytes([5, len(payload)]) + payload + b"\x80"
    # emulation prevention: a 00 00 followed by 00-03 gets a 03 in between
    escaped = bytearray()
    zeros = 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            escaped.append(3)
            zeros = 0
        escaped.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return b"\x00\x00\x00\x01\x06" + bytes(escaped)


def _section(table_id: int, body: bytes) -> bytes:
    length = 5 + len(body) + 4
    head = bytes([table_id, 0xB0 | (length >> 8), length & 0xFF, 0, 1, 0xC1, 0, 0])
    return b"\x00" + head + body + b"\x00\x00\x00\x00"  # pointer field first; CRC not checked


def _packets(pid: int, payload: bytes) -> list[bytes]:
    packets = []
    for i in range(0, len(payload), 184):
        chunk = payload[i : i + 184]
        start = 0x40 if i == 0 else 0
        header = bytes([0x47, start | (pid >> 8), pid & 0xFF, 0x10 | (len(packets) & 0x0F)])
        if len(chunk) < 184:  # adaptation field of stuffing to fill the packet
            fill = 184 - len(chunk) - 1
            header = header[:3] + bytes([0x30 | (len(packets) & 0x0F), fill])
            header += (b"\x00" + b"\xff" * (fill - 1)) if fill else b""
        packets.append(header + chunk)
    return packets


def _transport_stream(es: bytes, packet_size: int) -> bytes:
    pat = _section(0x00, struct.pack(">HH", 1, 0xE000 | 0x100))
    pmt_body = struct.pack(">HH", 0xE000 | 0x1011, 0xF000)
    pmt_body += bytes([0x81, 0xF1, 0x00, 0xF0, 0x00])  # AC-3 audio on 0x1100: skipped
    pmt_body += bytes([0x1B, 0xF0, 0x11, 0xF0, 0x00])  # H.264 video on 0x1011
    pmt = _section(0x02, pmt_body)
    pes = b"\x00\x00\x01\xe0\x00\x00\x80\x80\x05\x21\x00\x01\x00\x01" + es
    packets = _packets(0, pat) + _packets(0x100, pmt) + _packets(0x1011, pes)
    packets += _packets(0x1011, b"\x00\x00\x01\xe0\x00\x00\x80\x00\x00" + b"\x00\x00\x01\x09\xf0")
    if packet_size == 192:
        return b"".join(b"\x00\x00\x00\x00" + p for p in packets)
    return b"".join(packets)


DATE = (0x18, bytes([0x0A, 0x20, 0x23, 0x08])), (0x19, bytes([0x15, 0x14, 0x03, 0x09]))
SONY = (
    (0xE0, bytes([0x01, 0x08, 0x00, 0x00])),
    (0xE4, b"ILCE"),
    (0xE5, b"-7M4"),
    (0xE6, b"\x00" * 4),
)


@pytest.mark.parametrize("packet_size", [188, 192])
def test_read_mdpm_from_a_made_stream(tmp_path: Path, packet_size: int) -> None:
    sps = b"\x00\x00\x00\x01\x67\x64\x00\x28\xac\xd9\x40\x78"
    # a value with 00 00 01 in it, which the camera escapes inside the NAL unit
    es = sps + _sei_nal(_entries((0x13, b"\x00\x00\x01\x00"), *DATE, *SONY))
    es += b"\x00\x00\x00\x01\x65" + b"\x88" * 400
    path = tmp_path / f"00001-{packet_size}.MTS"
    path.write_bytes(_transport_stream(es, packet_size))
    found = avchd.read_mdpm(path)
    assert found == avchd.Mdpm("2023-08-15T14:03:09+05:00", "Sony", "ILCE-7M4", dst=False)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (0x0A, "+05:00"),  # +5 hours
        (0x2A, "-05:00"),  # sign bit
        (0x0B, "+05:30"),  # half hour (India)
        (0x4A, ""),  # DST set: the offset is left out
        (0x80, ""),  # no zone
        (0xFF, ""),
    ],
)
def test_time_zone_byte(zone: int, expected: str) -> None:
    body = _entries((0x18, bytes([zone, 0x20, 0x23, 0x08])), (0x19, bytes([0x15, 0x14, 3, 9])))
    assert avchd.parse_mdpm(body).taken_at == "2023-08-15T14:03:09" + expected


@pytest.mark.parametrize(
    "pairs",
    [
        ((0x18, bytes([0x0A, 0x20, 0x23, 0x13])), (0x19, bytes([0x15, 0x14, 3, 9]))),  # month 13
        ((0x18, bytes([0x0A, 0x20, 0x2A, 0x08])), (0x19, bytes([0x15, 0x14, 3, 9]))),  # not BCD
        ((0x18, bytes([0x0A, 0x20, 0x23, 0x08])),),  # the second half is missing
        ((0x19, bytes([0x15, 0x14, 3, 9])), (0x18, bytes([0x0A, 0x20, 0x23, 8]))),  # disorder
    ],
)
def test_bad_dates_give_none(pairs: tuple[tuple[int, bytes], ...]) -> None:
    assert avchd.parse_mdpm(_entries(*pairs)).taken_at is None


def test_make_codes_and_model_only_for_sony() -> None:
    panasonic = avchd.parse_mdpm(_entries((0xE0, bytes([0x01, 0x03, 0, 0])), (0xE4, b"HC-V")))
    assert (panasonic.camera_make, panasonic.camera_model) == ("Panasonic", None)
    unknown = avchd.parse_mdpm(_entries((0xE0, bytes([0x77, 0x77, 0, 0]))))
    assert unknown.camera_make is None


def test_stream_without_mdpm_and_garbage_give_none(tmp_path: Path) -> None:
    plain = tmp_path / "plain.ts"
    plain.write_bytes(_transport_stream(b"\x00\x00\x00\x01\x65" + b"\x88" * 300, 188))
    assert avchd.read_mdpm(plain) is None
    garbage = tmp_path / "garbage.mts"
    garbage.write_bytes(b"\x47" + bytes(range(256)) * 8)
    assert avchd.read_mdpm(garbage) is None
    assert avchd.parse_mdpm(b"") == avchd.Mdpm()
