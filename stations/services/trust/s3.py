"""A minimal S3 client for the photo store: PUT, GET and DELETE of whole objects, path-style, signed with AWS
Signature Version 4 (what MinIO, Ceph, Alibaba OSS's S3 mode and AWS accept).

About 60 lines instead of boto3: the store needs three verbs, and `sign` is checked against the worked example
of AWS's documentation (tests/unit/test_s3_signing.py) and against a local S3 stub that verifies signatures.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import httpx

from stations.errors import ServiceUnavailable
from stations.services.trust.storage import check_key

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def sign(*, method: str, url: str, headers: dict[str, str], payload_sha256: str, access_key: str, secret_key: str,
         region: str, now: datetime) -> dict[str, str]:
    """`headers` plus host, x-amz-date, x-amz-content-sha256 and the SigV4 Authorization for this request."""
    parts = urlsplit(url)
    stamp, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    signed = {k.lower(): " ".join(v.split()) for k, v in headers.items()}
    signed |= {"host": parts.netloc, "x-amz-date": stamp, "x-amz-content-sha256": payload_sha256}
    names = sorted(signed)
    query = "&".join(sorted(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, _, v in
                            (pair.partition("=") for pair in parts.query.split("&") if pair)))
    canonical = "\n".join([method, quote(parts.path or "/", safe="/-_.~"), query,
                           "".join(f"{n}:{signed[n]}\n" for n in names), ";".join(names), payload_sha256])
    scope = f"{day}/{region}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(f"AWS4{secret_key}".encode(), day), region), "s3"), "aws4_request")
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    authorization = (f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={';'.join(names)}, "
                     f"Signature={signature}")
    return {**headers, **{k: signed[k] for k in ("x-amz-date", "x-amz-content-sha256")},
            "Authorization": authorization}


class S3Store:
    """Photos in one bucket of an S3-compatible service (path-style URLs: endpoint/bucket/key)."""

    def __init__(self, *, endpoint: str, bucket: str, access_key: str, secret_key: str, region: str = "us-east-1",
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), timeout: float = 10.0) -> None:
        self.base = f"{endpoint.rstrip('/')}/{bucket}"
        self.access_key, self.secret_key, self.region, self.clock = access_key, secret_key, region, clock
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)

    def _send(self, method: str, key: str, body: bytes = b"", headers: dict[str, str] | None = None) -> httpx.Response:
        url = f"{self.base}/{check_key(key)}"
        signed = sign(method=method, url=url, headers=headers or {}, payload_sha256=hashlib.sha256(body).hexdigest(),
                      access_key=self.access_key, secret_key=self.secret_key, region=self.region, now=self.clock())
        try:
            reply = self.client.request(method, url, content=body or None, headers=signed)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable("照片存储暂时无法访问，请稍后再试 (photo storage unreachable)",
                                     log_detail=repr(exc)) from exc
        if reply.status_code >= 300 and not (method in ("GET", "DELETE") and reply.status_code == 404):
            raise ServiceUnavailable("照片存储拒绝了请求，请稍后再试 (photo storage refused the request)",
                                     log_detail=f"S3 {method} {key}: {reply.status_code} {reply.text[:200]}")
        return reply

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """PUT the object."""
        self._send("PUT", key, data, {"Content-Type": content_type})

    def get(self, key: str) -> bytes | None:
        """GET the object, or None on 404."""
        reply = self._send("GET", key)
        return None if reply.status_code == 404 else reply.content

    def delete(self, key: str) -> None:
        """DELETE the object (a 404 is fine)."""
        self._send("DELETE", key)
