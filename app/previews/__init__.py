"""Thumbnails and page-by-page previews of originals (see ``render`` and
``app.services.previews``)."""
