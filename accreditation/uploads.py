"""Checks every uploaded file passes before it is stored: type by name and content, size, a safe label.

Application documents, report attachments and the evidence of corrective actions all go through
``check_upload``; files are then stored under generated names, never the uploaded one.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

ALLOWED_EXTENSIONS = ("pdf", "docx", "xlsx", "jpg", "jpeg", "png")
#: The Content-Type a stored upload is served with, by extension: fixed here rather than guessed from
#: the host's MIME table (which may not know Office files), so the API documents exactly these.
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
_ZIP_PARTS = {"docx": "word/", "xlsx": "xl/"}
_MAGIC = {"pdf": (b"%PDF-",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]")


def media_type(label: str) -> str:
    """The Content-Type to serve a stored upload with, from its label's extension."""
    extension = label.rsplit(".", 1)[-1].lower() if "." in label else ""
    return MEDIA_TYPES.get(extension, "application/octet-stream")


def max_document_bytes() -> int:
    return int(settings.APPLICATION_DOCUMENT_MAX_BYTES)


def sanitised_label(name: str) -> str:
    """The uploaded name reduced to a safe display label: no folders, controls or reserved characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > 150:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: 150 - len(extension) - 1]}.{extension}" if dot and len(extension) <= 5 else name[:150]
    return name or "document"


def _content_matches(upload: UploadedFile, extension: str) -> bool:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension in _MAGIC:
        return any(head.startswith(magic) for magic in _MAGIC[extension])
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(_ZIP_PARTS[extension]) for n in names)


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The safe display label and the extension of an upload; a refused file raises a ``DomainError``.

    The type is judged by the name's extension and confirmed by the content's signature (an Office
    file must be a real Office Open XML package); the size must be within the configured limit.
    """
    label = sanitised_label(upload.name or "")
    extension = label.rsplit(".", 1)[-1].lower() if "." in label else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise DomainError(
            "file_type_not_allowed",
            _("Only PDF, Word (.docx), Excel (.xlsx), JPEG and PNG files may be attached."),
            detail={"allowed": list(ALLOWED_EXTENSIONS)},
        )
    size = upload.size or 0
    if size == 0:
        raise DomainError("empty_file", _("The file is empty."))
    limit = max_document_bytes()
    if size > limit:
        raise DomainError(
            "file_too_large",
            _("The file is larger than the limit of {limit} MB.").format(limit=round(limit / 1024 / 1024, 1)),
            detail={"size": size, "limit": limit},
        )
    if not _content_matches(upload, extension):
        raise DomainError(
            "file_content_mismatch",
            _("The file's content is not a {extension} file.").format(extension=extension.upper()),
        )
    return label, extension
