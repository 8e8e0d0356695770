"""Uploaded files waiting between an import's preview and its confirmation.

They are kept on disk (not in the database, which a preview must not change), under a random
name bound to the editor who uploaded them, and removed when confirmed or a day later.
"""

import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

MAX_AGE = 24 * 3600


def _folder():
    configured = settings.IMPORT_PENDING_DIR
    folder = Path(configured) if configured else Path(tempfile.gettempdir()) / "declaration-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(user, token):
    if not token.isalnum():
        return None
    return _folder() / f"{user.pk}-{token}"


def keep(user, content):
    """Store the content; returns the token that gets it back."""
    folder = _folder()
    cutoff = time.time() - MAX_AGE
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    _path(user, token).write_bytes(content)
    return token


def fetch(user, token):
    """The content kept under the token for this user, or None."""
    path = _path(user, token or "")
    if path is None or not path.exists():
        return None
    return path.read_bytes()


def forget(user, token):
    path = _path(user, token or "")
    if path is not None:
        path.unlink(missing_ok=True)
