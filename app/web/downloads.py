"""Sending stored objects to the browser: streamed in chunks, with ranges and ETags.

Called only after a service said yes (secrecy, permissions, audit). With the
local folder the file is streamed (the WSGI server may use sendfile); with S3
the object is proxied through the app in chunks by default, because the store
usually listens on an internal address and because every byte then passes the
same checks, logs and headers as with the local folder. ``STORAGE_DOWNLOADS=
presigned`` instead redirects to a URL signed for ``STORAGE_PRESIGN_SECONDS``
(60 s), again only after the service's checks; the URL is not cached.
"""
from __future__ import annotations

import io

from flask import current_app, redirect, request, send_file

from app import storage


def send_stored(sha256: str, *, media_type: str, download_name: str,
                as_attachment: bool = True, max_age: int | None = None,
                private: bool = False):
    """A response with the object's bytes (200, 206 for a range, 304 when unchanged)."""
    store = storage.backend()
    if current_app.config.get("STORAGE_DOWNLOADS") == "presigned":
        url = store.presigned_url(sha256, download_name, media_type, attachment=as_attachment)
        if url:
            response = redirect(url, 302)
            response.cache_control.no_store = True
            response.cache_control.private = True
            return response
    stream = store.open(sha256)
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    response = send_file(stream, mimetype=media_type, as_attachment=as_attachment,
                         download_name=download_name, conditional=False, max_age=max_age)
    response.content_length = size
    response.set_etag(sha256)  # the name is the hash: the bytes never change under it
    if private:
        response.cache_control.private = True
    return response.make_conditional(request.environ, accept_ranges=True, complete_length=size)
