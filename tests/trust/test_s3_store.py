"""The S3 photo store against a local S3-compatible stub that checks every signature (nothing leaves 127.0.0.1)."""

from __future__ import annotations

import pytest

from stations.errors import ServiceUnavailable
from stations.services.trust.s3 import S3Store
from tests.trust.s3_stub import ACCESS, BUCKET, SECRET, running


def test_put_get_delete_round_trip_signed() -> None:
    objects: dict[str, bytes] = {}
    refused: list[str] = []
    with running(objects, refused) as endpoint:
        store = S3Store(endpoint=endpoint, bucket=BUCKET, access_key=ACCESS, secret_key=SECRET)
        store.put("photos/PABC.jpg", b"\xff\xd8jpeg bytes", "image/jpeg")
        assert objects == {"photos/PABC.jpg": b"\xff\xd8jpeg bytes"}
        assert store.get("photos/PABC.jpg") == b"\xff\xd8jpeg bytes"
        assert store.get("photos/PNONE.jpg") is None
        store.delete("photos/PABC.jpg")
        assert objects == {} and store.get("photos/PABC.jpg") is None
    assert refused == []


def test_a_wrong_secret_is_refused_and_reported_as_unavailable_storage() -> None:
    refused: list[str] = []
    with running({}, refused) as endpoint:
        store = S3Store(endpoint=endpoint, bucket=BUCKET, access_key=ACCESS, secret_key="not-the-secret")
        with pytest.raises(ServiceUnavailable):
            store.put("photos/PABC.jpg", b"x", "image/jpeg")
    assert refused == ["signature"]


def test_keys_are_ours_only() -> None:
    store = S3Store(endpoint="http://127.0.0.1:9", bucket=BUCKET, access_key=ACCESS, secret_key=SECRET)
    with pytest.raises(ValueError, match="not a photo key"):
        store.get("../etc/passwd")
