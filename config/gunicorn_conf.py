"""gunicorn settings shared by `make run`, the browser tests, the drills and systemd.

Gunicorn's defaults refuse a request line over 4 KiB and a header over 8 KiB
with an HTML page of its own, before the app can answer. A search with a
pasted paragraph or a long ``cites`` list is longer than that, and the API
promises its JSON envelope for every error, so the limits are raised here and
the app itself refuses what is really too long (app/web/limits.py).
"""
import gunicorn.http.message as _message

# gunicorn clamps limit_request_line to this module constant (8190); raise the
# ceiling rather than set 0, which would mean no bound at all.
_message.MAX_REQUEST_LINE = 256 * 1024

limit_request_line = 128 * 1024
limit_request_field_size = 64 * 1024
limit_request_fields = 100
