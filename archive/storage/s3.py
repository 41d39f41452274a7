"""Originals in an S3-compatible bucket, through botocore: checksums, write-once, multipart."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    NoRegionError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from archive.storage import (
    NotWriteOnce,
    PartCallback,
    PutResult,
    StoreConfig,
    StoredObject,
    StoreError,
    StoreUnreachable,
)
from media.temporary import temporary_path

CHUNK = 1024 * 1024
_CLIENTS: dict[StoreConfig, Any] = {}  # one client per process and store


@dataclass(frozen=True)
class _Part:
    number: int
    offset: int
    size: int
    sha256: str  # base64, as S3 sends it
    md5: str  # hex, the ETag a store gives a part it was sent whole


class S3Store:
    """A bucket and a key prefix. Credentials come the usual way (environment, profile,
    ~/.aws/credentials); botocore retries each request with back-off."""

    def __init__(self, config: StoreConfig, client: Any) -> None:
        self.config = config
        self.location = config.location
        rest = config.location[len("s3://") :]
        self.bucket, _, prefix = rest.partition("/")
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client

    @classmethod
    def open(cls, config: StoreConfig) -> S3Store:
        client = _CLIENTS.get(config)
        if client is None:
            client = _CLIENTS[config] = _client(config)
        return cls(config, client)

    def _key(self, key: str) -> str:
        return self.prefix + key

    # -- write-once originals -------------------------------------------------
    def put_original(
        self, key: str, source: Path, sha256: str, on_part: PartCallback | None = None
    ) -> PutResult:
        size = source.stat().st_size
        existing = self.stat(key)
        if existing is not None:
            return self._same(existing, sha256, size)
        checksum = _b64(bytes.fromhex(sha256))
        metadata = {"sha256": sha256}
        if size < self.config.multipart_threshold:
            try:
                with open(source, "rb") as body:
                    self._call(
                        "put_object",
                        key,
                        Body=body,
                        ChecksumSHA256=checksum,
                        IfNoneMatch="*",
                        Metadata=metadata,
                    )
            except _Refused:  # written by another run since the look above
                return self._same(self._must_stat(key), sha256, size)
            return PutResult(created=True)
        return self._multipart(key, source, sha256, size, metadata, on_part)

    def _same(self, existing: StoredObject, sha256: str, size: int) -> PutResult:
        known = existing.verified_sha256 or existing.claimed_sha256
        if known is None and existing.size == size:  # put there some other way: read it
            known = self.hash(existing.key)
        if existing.size == size and known == sha256:
            return PutResult(created=False)
        raise NotWriteOnce(
            f"{self.location}{existing.key} already holds other bytes "
            f"({existing.size} bytes, SHA-256 {known or 'unknown'}); nothing was overwritten"
        )

    def _multipart(
        self,
        key: str,
        source: Path,
        sha256: str,
        size: int,
        metadata: dict[str, str],
        on_part: PartCallback | None,
    ) -> PutResult:
        parts = _parts(source, self.config.part_size)
        composite = _composite(parts)
        metadata = {**metadata, "sha256-parts": composite, "part-size": str(parts[0].size)}
        upload_id, sent = self._resumable(key, parts)
        if upload_id is None:
            created = self._call(
                "create_multipart_upload",
                key,
                ChecksumAlgorithm="SHA256",
                Metadata=metadata,
            )
            upload_id = created["UploadId"]
        reused = len(sent)
        with open(source, "rb") as handle:
            for part in parts:
                if part.number not in sent:
                    handle.seek(part.offset)
                    answer = self._call(
                        "upload_part",
                        key,
                        UploadId=upload_id,
                        PartNumber=part.number,
                        Body=handle.read(part.size),
                        ChecksumSHA256=part.sha256,
                    )
                    sent[part.number] = answer["ETag"]
                if on_part is not None:
                    on_part(len(sent), len(parts))
        listing = [
            {"PartNumber": p.number, "ETag": sent[p.number], "ChecksumSHA256": p.sha256}
            for p in parts
        ]
        try:
            answer = self._call(
                "complete_multipart_upload",
                key,
                UploadId=upload_id,
                MultipartUpload={"Parts": listing},
                IfNoneMatch="*",
            )
        except _Refused:
            self._abort(key, upload_id)
            return self._same(self._must_stat(key), sha256, size)
        stored = answer.get("ChecksumSHA256")
        if stored and stored != composite:
            where = f"{self.location}{key}"
            raise StoreError(f"{where}: the store's checksum is {stored}, not {composite}")
        return PutResult(created=True, parts=len(parts), parts_reused=reused)

    def _resumable(self, key: str, parts: list[_Part]) -> tuple[str | None, dict[int, str]]:
        """An unfinished upload of ``key`` and the parts of it that match this file."""
        full = self._key(key)
        answer = self._call("list_multipart_uploads", None, Prefix=full)
        for upload in answer.get("Uploads", []):
            if upload["Key"] != full:
                continue
            upload_id = upload["UploadId"]
            listed = self._call("list_parts", key, UploadId=upload_id).get("Parts", [])
            by_number = {p.number: p for p in parts}
            sent: dict[int, str] = {}
            for item in listed:
                part = by_number.get(item["PartNumber"])
                etag = item["ETag"]
                if part is not None and item["Size"] == part.size and etag.strip('"') == part.md5:
                    sent[part.number] = etag
            if sent or not listed:
                return upload_id, sent
            self._abort(key, upload_id)  # parts of other bytes: start again
        return None, {}

    def _abort(self, key: str, upload_id: str) -> None:
        try:
            self._call("abort_multipart_upload", key, UploadId=upload_id)
        except StoreError:
            pass

    # -- plain objects --------------------------------------------------------
    def put(
        self, key: str, source: Path, *, content_type: str | None = None, cache: str | None = None
    ) -> None:
        extra: dict[str, Any] = {}
        if content_type:
            extra["ContentType"] = content_type
        if cache:
            extra["CacheControl"] = cache
        digest = hashlib.sha256(source.read_bytes()).digest()
        with open(source, "rb") as body:
            self._call("put_object", key, Body=body, ChecksumSHA256=_b64(digest), **extra)

    def get(self, key: str, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = temporary_path(target)
        try:
            with open(tmp, "wb") as out:
                self._read(key, out)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)

    def hash(self, key: str) -> str:
        digest = hashlib.sha256()
        self._read(key, digest)
        return digest.hexdigest()

    def _read(self, key: str, sink: BinaryIO | Any) -> None:
        answer = self._call("get_object", key)
        body = answer["Body"]
        try:
            while chunk := body.read(CHUNK):
                (sink.write if hasattr(sink, "write") else sink.update)(chunk)
        except BotoCoreError as exc:
            raise StoreUnreachable(f"{self.location}{key}: reading stopped: {exc}") from exc
        finally:
            body.close()

    def stat(self, key: str) -> StoredObject | None:
        try:
            head = self._call("head_object", key, ChecksumMode="ENABLED")
        except _Missing:
            return None
        meta = head.get("Metadata") or {}
        return StoredObject(
            key,
            int(head["ContentLength"]),
            head.get("ChecksumSHA256"),
            meta.get("sha256"),
            meta.get("sha256-parts"),
        )

    def _must_stat(self, key: str) -> StoredObject:
        found = self.stat(key)
        if found is None:
            raise StoreError(f"{self.location}{key} was refused but is not there")
        return found

    def delete(self, key: str) -> None:
        self._call("delete_object", key)

    def objects(self) -> Iterator[StoredObject]:
        token: dict[str, str] = {}
        while True:
            answer = self._call("list_objects_v2", None, Prefix=self.prefix, **token)
            for entry in answer.get("Contents", []):
                yield StoredObject(entry["Key"][len(self.prefix) :], int(entry["Size"]))
            if not answer.get("IsTruncated"):
                return
            token = {"ContinuationToken": answer["NextContinuationToken"]}

    def probe(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            raise StoreError(_refusal(self.location, exc)) from exc
        except (BotoConnectionError, BotoCoreError) as exc:
            raise _unreachable(self.location, exc) from exc

    # -- one request, its errors made ours ----------------------------------------
    def _call(self, operation: str, key: str | None, **params: Any) -> dict[str, Any]:
        if key is not None:
            params["Key"] = self._key(key)
        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **params)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code in ("PreconditionFailed", "ConditionalRequestConflict") or status == 412:
                raise _Refused(str(exc)) from exc
            if code in ("404", "NoSuchKey", "NotFound") and operation == "head_object":
                raise _Missing(str(exc)) from exc
            raise StoreError(_refusal(f"{self.location}{key or ''}", exc)) from exc
        except NoCredentialsError as exc:
            raise StoreError(
                f"no credentials for {self.location}: set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials"
            ) from exc
        except NoRegionError as exc:
            raise StoreError(f"{self.location}: set AWS_DEFAULT_REGION or a region") from exc
        except (BotoConnectionError, BotoCoreError) as exc:
            raise _unreachable(self.location, exc) from exc


class _Refused(StoreError):
    """A conditional request found the object there already."""


class _Missing(StoreError):
    """No object under the key."""


def _client(config: StoreConfig) -> Any:
    session = botocore.session.Session(profile=config.profile)
    options = Config(
        retries={"max_attempts": config.attempts, "mode": "standard"},
        connect_timeout=config.connect_timeout,
        read_timeout=60,
        # Checksums are sent where the archive asks for them (SHA-256), not CRC on every call.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        s3={"addressing_style": "path"} if config.endpoint else None,
    )
    return session.create_client(
        "s3",
        endpoint_url=config.endpoint or None,
        region_name=config.region or session.get_config_variable("region") or "us-east-1",
        config=options,
    )


def _parts(source: Path, part_size: int) -> list[_Part]:
    parts = []
    offset = 0
    with open(source, "rb") as handle:
        while data := handle.read(part_size):
            parts.append(
                _Part(
                    len(parts) + 1,
                    offset,
                    len(data),
                    _b64(hashlib.sha256(data).digest()),
                    hashlib.md5(data, usedforsecurity=False).hexdigest(),
                )
            )
            offset += len(data)
    return parts


def _composite(parts: list[_Part]) -> str:
    joined = b"".join(base64.b64decode(p.sha256) for p in parts)
    return f"{_b64(hashlib.sha256(joined).digest())}-{len(parts)}"


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def _refusal(where: str, exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    code, message = error.get("Code", "?"), error.get("Message", "")
    if code == "NoSuchBucket":
        return f"{where}: the bucket does not exist; create it first"
    if code == "BadDigest":
        return f"{where}: the store received other bytes than were hashed (BadDigest)"
    return f"{where}: the store refused it ({code}{': ' + message if message else ''})"


def _unreachable(where: str, exc: Exception) -> StoreUnreachable:
    return StoreUnreachable(
        f"the store at {where} cannot be reached ({exc}); nothing was stored, run it again later"
    )
