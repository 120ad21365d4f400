"""Marshmallow schemas for the JSON API: validation in, shaping out."""
