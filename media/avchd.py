"""AVCHD and MPEG-TS camera metadata: date, make and model from the H.264 stream's MDPM.

AVCHD camcorders and cameras (Sony, Panasonic, Canon, JVC) write no date in the transport
stream's container: ffprobe shows none. The date is inside the video itself, in H.264
"supplemental enhancement information" (SEI) messages of type 5, *user data unregistered*,
whose payload starts with the UUID 17ee8c60-f84d-11d9-8cd6-0800200c9a66 and the four
letters ``MDPM`` ("modified digital video pack metadata", after IEC 61834-4):

    UUID (16 bytes) | "MDPM" | count (1 byte) | count x (tag: 1 byte, value: 4 bytes)

Tags are in increasing order. The ones read here:

* ``0x18``: time zone byte, then year (two BCD bytes, e.g. ``20 19``) and month (BCD);
* ``0x19``: day, hour, minute, second (BCD): the camera's local clock;
* ``0xe0``: the maker's code in the first two bytes (0x0103 Panasonic, 0x0108 Sony,
  0x1011 Canon, 0x1104 JVC);
* ``0xe4``-``0xe6``: the model name, 12 ASCII bytes (Sony).

The time zone byte: 0x80 set means no zone; 0x40 is a summer-time (DST) flag; 0x20 the
sign; bits 0x1e the hours; 0x01 an extra half hour. Whether the hours already count the
summer hour is not documented and cameras are not known to agree, so when the DST flag is
set the offset is left out and only the local time is kept: a wrong offset would move the
moment by an hour, a missing one does not.

The stream is read as a broadcast MPEG-TS (188-byte packets) or a Blu-ray/AVCHD M2TS
(192-byte packets: a 4-byte time stamp before each), following the PAT and PMT to the
H.264 stream; only the first few megabytes are read, where the first frame's SEI lies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MDPM_UUID = bytes.fromhex("17ee8c60f84d11d98cd60800200c9a66")
READ_LIMIT = 4 * 1024 * 1024
_H264_STREAM_TYPE = 0x1B
_MAKES = {0x0103: "Panasonic", 0x0108: "Sony", 0x1011: "Canon", 0x1104: "JVC"}


@dataclass(frozen=True)
class Mdpm:
    """What a camera wrote in the MDPM; None where it wrote nothing usable."""

    taken_at: str | None = None  # local time, with the offset when it is unambiguous
    camera_make: str | None = None
    camera_model: str | None = None
    dst: bool = False  # the camera's clock was on summer time


def read_mdpm(path: Path, limit: int = READ_LIMIT) -> Mdpm | None:
    """The first MDPM in the H.264 stream of the MPEG-TS file at ``path``, or None."""
    with open(path, "rb") as handle:
        data = handle.read(limit)
    for unit in video_units(data):
        found = find_mdpm(unit)
        if found is not None:
            return found
    return None


def video_units(data: bytes) -> list[bytes]:
    """The PES payloads (one access unit each, usually) of the first H.264 stream."""
    size, start = _packet_layout(data)
    if not size:
        return []
    packets = [data[i : i + 188] for i in range(start, len(data) - 187, size)]
    pmt_pids: set[int] = set()
    video_pid: int | None = None
    units: list[bytes] = []
    current: bytearray | None = None
    for packet in packets:
        if packet[0] != 0x47:
            continue
        pid = ((packet[1] & 0x1F) << 8) | packet[2]
        unit_start = bool(packet[1] & 0x40)
        payload = _payload(packet)
        if payload is None:
            continue
        if pid == 0 and unit_start:
            pmt_pids |= set(_section_entries(payload, program_map=False))
        elif pid in pmt_pids and unit_start and video_pid is None:
            video_pid = next(iter(_section_entries(payload, program_map=True)), None)
        elif pid == video_pid:
            if unit_start:
                if current:
                    units.append(bytes(current))
                current = bytearray(_pes_body(payload))
            elif current is not None:
                current.extend(payload)
    if current:
        units.append(bytes(current))
    return units


def find_mdpm(stream: bytes) -> Mdpm | None:
    """The MDPM in the SEI NAL units of a stretch of H.264 Annex B byte stream, or None."""
    for nal in _nal_units(stream):
        if nal and nal[0] & 0x1F == 6:
            for kind, payload in _sei_messages(_unescape(nal[1:])):
                if kind == 5 and payload[:16] == MDPM_UUID and payload[16:20] == b"MDPM":
                    return parse_mdpm(payload[20:])
    return None


def parse_mdpm(body: bytes) -> Mdpm:
    """The fields of an MDPM body: the count byte, then five-byte entries."""
    values: dict[int, bytes] = {}
    count = body[0] if body else 0
    last = -1
    for i in range(count):
        entry = body[1 + 5 * i : 6 + 5 * i]
        if len(entry) < 5 or entry[0] <= last:
            break  # short, or out of order: the rest cannot be trusted
        last = entry[0]
        values[entry[0]] = entry[1:]
    taken_at, dst = _date(values.get(0x18), values.get(0x19))
    make = None
    if 0xE0 in values:
        make = _MAKES.get(int.from_bytes(values[0xE0][:2], "big"))
    model = None
    if make == "Sony" and 0xE4 in values:
        text = b"".join(values.get(t, b"") for t in (0xE4, 0xE5, 0xE6))
        model = text.split(b"\x00")[0].decode("ascii", "replace").strip() or None
    return Mdpm(taken_at=taken_at, camera_make=make, camera_model=model, dst=dst)


def _date(first: bytes | None, second: bytes | None) -> tuple[str | None, bool]:
    if not first or not second:
        return None, False
    zone = first[0]
    digits = [_bcd(b) for b in (*first[1:], *second)]
    if None in digits:
        return None, False
    century, year, month, day, hour, minute, second_ = digits  # type: ignore[misc]
    year = century * 100 + year
    if not (1900 <= year <= 2200 and 1 <= month <= 12 and 1 <= day <= 31):
        return None, False
    if not (hour <= 23 and minute <= 59 and second_ <= 59):
        return None, False
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second_:02d}"
    dst = bool(zone & 0x40) and not zone & 0x80
    hours = (zone >> 1) & 0x0F
    if not zone & 0x80 and not dst and hours <= 14:
        sign = "-" if zone & 0x20 else "+"
        text += f"{sign}{hours:02d}:{'30' if zone & 0x01 else '00'}"
    return text, dst


def _bcd(byte: int) -> int | None:
    high, low = byte >> 4, byte & 0x0F
    return None if high > 9 or low > 9 else high * 10 + low


def _packet_layout(data: bytes) -> tuple[int, int]:
    """(packet size, offset of the first sync byte): 188 for MPEG-TS, 192 for M2TS."""
    for size, start in ((188, 0), (192, 4)):
        if len(data) > start + 3 * size and all(data[start + i * size] == 0x47 for i in range(4)):
            return size, start
    return 0, 0


def _payload(packet: bytes) -> bytes | None:
    control = (packet[3] >> 4) & 0x03
    if control in (0, 2):
        return None  # no payload
    start = 4
    if control == 3:
        start += 1 + packet[4]
    return packet[start:188] if start < 188 else None


def _section_entries(payload: bytes, *, program_map: bool) -> list[int]:
    """PIDs listed by a PAT (the PMTs) or a PMT (H.264 streams only)."""
    pointer = payload[0] if payload else 0
    section = payload[1 + pointer :]
    if len(section) < 12:
        return []
    length = ((section[1] & 0x0F) << 8) | section[2]
    end = min(3 + length - 4, len(section))  # the CRC is left out
    found = []
    if not program_map:
        for i in range(8, end - 3, 4):
            program = int.from_bytes(section[i : i + 2], "big")
            if program != 0:
                found.append(((section[i + 2] & 0x1F) << 8) | section[i + 3])
        return found
    info_length = ((section[10] & 0x0F) << 8) | section[11]
    i = 12 + info_length
    while i + 5 <= end:
        stream_type = section[i]
        pid = ((section[i + 1] & 0x1F) << 8) | section[i + 2]
        if stream_type == _H264_STREAM_TYPE:
            found.append(pid)
        i += 5 + (((section[i + 3] & 0x0F) << 8) | section[i + 4])
    return found


def _pes_body(payload: bytes) -> bytes:
    if payload[:3] != b"\x00\x00\x01" or len(payload) < 9:
        return payload
    return payload[9 + payload[8] :]


def _nal_units(stream: bytes) -> list[bytes]:
    """NAL units between 00 00 01 start codes (a fourth leading zero belongs to neither)."""
    starts = []
    i = stream.find(b"\x00\x00\x01")
    while i != -1:
        starts.append(i + 3)
        i = stream.find(b"\x00\x00\x01", i + 3)
    units = []
    for n, start in enumerate(starts):
        end = starts[n + 1] - 3 if n + 1 < len(starts) else len(stream)
        units.append(stream[start:end].rstrip(b"\x00"))
    return units


def _unescape(rbsp: bytes) -> bytes:
    """Drop the emulation-prevention byte of every 00 00 03 sequence."""
    return rbsp.replace(b"\x00\x00\x03", b"\x00\x00")


def _sei_messages(rbsp: bytes) -> list[tuple[int, bytes]]:
    messages = []
    i = 0
    while i < len(rbsp) and rbsp[i] != 0x80:  # 0x80: the RBSP's trailing bits
        kind = size = 0
        while i < len(rbsp) and rbsp[i] == 0xFF:
            kind, i = kind + 255, i + 1
        if i >= len(rbsp):
            break
        kind, i = kind + rbsp[i], i + 1
        while i < len(rbsp) and rbsp[i] == 0xFF:
            size, i = size + 255, i + 1
        if i >= len(rbsp):
            break
        size, i = size + rbsp[i], i + 1
        messages.append((kind, rbsp[i : i + size]))
        i += size
    return messages
