"""The configured photo store: the filesystem (default) or S3."""

from __future__ import annotations

from stations.errors import SetupError
from stations.services.trust.s3 import S3Store
from stations.services.trust.storage import FileStore, PhotoStore
from stations.settings import Settings


def store_from_settings(settings: Settings) -> PhotoStore:
    """The configured store: `STATIONS_PHOTO_STORAGE=file` (under STATIONS_PHOTO_DIR) or `s3`."""
    if settings.photo_storage == "s3":
        if not (settings.s3_endpoint and settings.s3_bucket and settings.s3_access_key and settings.s3_secret_key):
            raise SetupError("STATIONS_PHOTO_STORAGE=s3 needs STATIONS_S3_ENDPOINT, STATIONS_S3_BUCKET, "
                             "STATIONS_S3_ACCESS_KEY and STATIONS_S3_SECRET_KEY")
        return S3Store(endpoint=settings.s3_endpoint, bucket=settings.s3_bucket, access_key=settings.s3_access_key,
                       secret_key=settings.s3_secret_key, region=settings.s3_region)
    return FileStore(settings.photo_dir or settings.data_dir / "photos")
