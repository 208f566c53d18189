"""Station photos: staff upload (entrance, sign, inside), stored re-encoded without metadata behind the photo store,
listed on the station's public record and served with safe headers. Riders cannot upload (docs/quality.md)."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.orm import Session

from stations.db import registry_queries
from stations.db import trust_queries as queries
from stations.db.models import StaffUser, StationPhoto
from stations.errors import InvalidInput, NotFound
from stations.schemas.trust import PhotoPublic
from stations.services.staff import auth
from stations.services.trust import quality
from stations.services.trust.imaging import Processed
from stations.services.trust.storage import PhotoStore

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "/photos/"
KINDS = {"entrance": "入口", "sign": "标识", "inside": "室内", "other": "其他"}


def new_public_id() -> str:
    """P + 15 characters of Crockford's base32 (75 random bits): photo URLs cannot be guessed."""
    return "P" + "".join(secrets.choice(_ALPHABET) for _ in range(15))


def keys(public_id: str) -> tuple[str, str]:
    """The store keys of a photo's full size and thumbnail."""
    return f"photos/{public_id}.jpg", f"photos/{public_id}.thumb.jpg"


def url(public_id: str, *, thumbnail: bool = False) -> str:
    """Where the app serves a photo (relative to its origin)."""
    return f"{PREFIX}{public_id}{'.thumb' if thumbnail else ''}.jpg"


def add(*, session: Session, station_id: int, photo: Processed, kind: str, user: StaffUser, store: PhotoStore,
        now: datetime, inspection_id: int | None = None) -> StationPhoto:
    """Store a processed photo of a live station in the uploader's region; it is shown at once (staff's own)."""
    if kind not in KINDS:
        raise InvalidInput(f"photo kind must be one of {', '.join(KINDS)}")
    station = registry_queries.live_station(session=session, station_id=station_id)
    if station is None:
        raise NotFound(f"no station with id {station_id}")
    auth.ensure_in_scope(auth.inspect_scope(user), station.adcode)
    public_id = new_public_id()
    full_key, thumb_key = keys(public_id)
    store.put(full_key, photo.full, "image/jpeg")
    store.put(thumb_key, photo.thumbnail, "image/jpeg")
    row = StationPhoto(public_id=public_id, station_id=station_id, inspection_id=inspection_id, kind=kind,
                       status="approved", width=photo.width, height=photo.height, bytes=len(photo.full),
                       sha256=photo.sha256, uploaded_by=user.username, moderated_by=user.username, moderated_at=now)
    session.add(row)
    session.flush()
    _publish(session=session, station_id=station_id, legacy=station.photos)
    quality.refresh(session=session, now=now, ids=[station_id])
    return row


def remove(*, session: Session, public_id: str, user: StaffUser, store: PhotoStore, now: datetime) -> StationPhoto:
    """Take a photo down (its files deleted, its row kept as `removed`)."""
    row = queries.photo(session=session, public_id=public_id)
    station = registry_queries.live_station(session=session, station_id=row.station_id) if row else None
    if row is None or station is None or row.status == "removed":
        raise NotFound(f"no photo {public_id}")
    auth.ensure_in_scope(auth.inspect_scope(user), station.adcode)
    row.status, row.moderated_by, row.moderated_at = "removed", user.username, now
    for key in keys(public_id):
        store.delete(key)
    session.flush()
    _publish(session=session, station_id=row.station_id, legacy=station.photos)
    quality.refresh(session=session, now=now, ids=[row.station_id])
    return row


def _publish(*, session: Session, station_id: int, legacy: list[str]) -> None:
    """The station's public `photos`: its approved photos' URLs after any it had from elsewhere."""
    ours = [url(p.public_id) for p in queries.photos_of(session=session, station_id=station_id,
                                                        statuses=("approved",))]
    queries.set_photo_urls(session=session, station_id=station_id,
                           urls=[u for u in legacy if not u.startswith(PREFIX)] + ours)


def served(*, session: Session, store: PhotoStore, public_id: str, thumbnail: bool) -> bytes:
    """The bytes of an approved photo of a live station, or NotFound."""
    row = queries.photo(session=session, public_id=public_id)
    if row is None or row.status != "approved" or not registry_queries.live_station_exists(
            session=session, station_id=row.station_id):
        raise NotFound(f"no photo {public_id}")
    data = store.get(keys(public_id)[1 if thumbnail else 0])
    if data is None:
        raise NotFound(f"photo {public_id} is missing from the store")
    return data


def of_station(*, session: Session, station_id: int) -> list[PhotoPublic]:
    """A live station's shown photos."""
    if not registry_queries.live_station_exists(session=session, station_id=station_id):
        raise NotFound(f"no station with id {station_id}")
    return [public(p) for p in queries.photos_of(session=session, station_id=station_id, statuses=("approved",))]


def public(row: StationPhoto) -> PhotoPublic:
    """A photo as the API shows it."""
    return PhotoPublic(id=row.public_id, station_id=row.station_id, kind=row.kind, status=row.status,
                       width=row.width, height=row.height, url=url(row.public_id),
                       thumbnail_url=url(row.public_id, thumbnail=True), created_at=row.created_at)
