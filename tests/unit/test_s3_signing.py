"""The S3 client's Signature Version 4, against the worked example in AWS's S3 documentation ("GET Object")."""

from __future__ import annotations

from datetime import UTC, datetime

from stations.services.trust.s3 import EMPTY_SHA256, sign


def test_signature_matches_the_documented_example() -> None:
    headers = sign(method="GET", url="https://examplebucket.s3.amazonaws.com/test.txt",
                   headers={"Range": "bytes=0-9"}, payload_sha256=EMPTY_SHA256, access_key="AKIAIOSFODNN7EXAMPLE",
                   secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region="us-east-1",
                   now=datetime(2013, 5, 24, tzinfo=UTC))
    assert headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    assert headers["x-amz-date"] == "20130524T000000Z"
