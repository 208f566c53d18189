"""Station photos: staff upload (multipart), list and remove under /api/v1; the files served at /photos/...

Uploads are refused past STATIONS_PHOTO_MAX_BYTES before their body is read (`api.upload_limit`), and these
routes are plain `def`: FastAPI runs them in its thread pool, so Pillow's decoding never runs on the event loop.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Request, Response, UploadFile, status

from stations.api.deps import CurrentStaff, SessionDep, SettingsDep
from stations.schemas.trust import PhotoPublic
from stations.services.trust import imaging, photos
from stations.services.trust.storage import PhotoStore
from stations.settings import Settings

router = APIRouter(tags=["photos"])
StationId = Annotated[int, Path(ge=1, le=2**63 - 1)]
PhotoId = Annotated[str, Path(pattern=r"^P[0-9A-Z]{15}$", description="the photo's public id")]
ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "photo past a size limit (bytes or pixels)"},
    415: {"description": "not a JPEG, PNG or WebP picture"},
}
SAFE = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "public, max-age=31536000, immutable", "Cross-Origin-Resource-Policy": "same-origin"}


def limits(settings: Settings) -> imaging.Limits:
    """The photo limits the settings ask for."""
    return imaging.Limits(max_bytes=settings.photo_max_bytes, max_pixels=settings.photo_max_pixels)


def store(request: Request) -> PhotoStore:
    """The app's photo store."""
    found: PhotoStore = request.app.state.photo_store
    return found


def read_upload(file: UploadFile, settings: Settings) -> imaging.Processed:
    """Read at most the limit (plus one byte, to tell) and process it; call from a worker thread only."""
    data = file.file.read(settings.photo_max_bytes + 1)
    return imaging.process(data, limits(settings))


@router.post("/api/v1/stations/{station_id}/photos", response_model=PhotoPublic,
             status_code=status.HTTP_201_CREATED, responses=ERRORS)
def upload_photo(
    station_id: StationId, file: Annotated[UploadFile, File(description="JPEG, PNG or WebP")], user: CurrentStaff,
    session: SessionDep, settings: SettingsDep, request: Request,
    kind: Annotated[Literal["entrance", "sign", "inside", "other"], Form()] = "other",
) -> PhotoPublic:
    """Add a photo of a station (editors and inspectors in their region): metadata (EXIF, GPS) stripped, resized,
    thumbnailed, shown on the map at once."""
    processed = read_upload(file, settings)
    row = photos.add(session=session, station_id=station_id, photo=processed, kind=kind, user=user,
                     store=store(request), now=request.app.state.clock())
    return photos.public(row)


@router.get("/api/v1/stations/{station_id}/photos", response_model=list[PhotoPublic])
def list_photos(station_id: StationId, session: SessionDep) -> list[PhotoPublic]:
    """The station's photos as the map shows them."""
    return photos.of_station(session=session, station_id=station_id)


@router.delete("/api/v1/photos/{photo_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_photo(photo_id: PhotoId, user: CurrentStaff, session: SessionDep, request: Request) -> Response:
    """Take a photo down (its files are deleted)."""
    photos.remove(session=session, public_id=photo_id, user=user, store=store(request),
                  now=request.app.state.clock())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _serve(request: Request, session: SessionDep, photo_id: str, *, thumbnail: bool) -> Response:
    data = photos.served(session=session, store=store(request), public_id=photo_id, thumbnail=thumbnail)
    return Response(data, media_type="image/jpeg", headers=SAFE)


@router.get("/photos/{photo_id}.thumb.jpg", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}}, "description": "the thumbnail (JPEG, no metadata)"}})
def photo_thumbnail(photo_id: PhotoId, request: Request, session: SessionDep) -> Response:
    """A photo's thumbnail (at most 320 px a side). Declared before the full size: `{photo_id}.jpg` would take
    `P….thumb` as an id."""
    return _serve(request, session, photo_id, thumbnail=True)


@router.get("/photos/{photo_id}.jpg", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}}, "description": "the photo (JPEG, no metadata)"}})
def photo_file(photo_id: PhotoId, request: Request, session: SessionDep) -> Response:
    """A photo, always JPEG re-encoded by us, with headers that keep a browser from reading it as anything else."""
    return _serve(request, session, photo_id, thumbnail=False)
