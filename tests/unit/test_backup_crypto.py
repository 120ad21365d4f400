"""The backup cipher streams: a 150 MB original passes through in a few MB of memory,
and any cut, swap or flipped byte is refused."""
from __future__ import annotations

import hashlib
import io
import os
import tracemalloc

import pytest

from app.backup import crypto, sealed


class Pattern(io.RawIOBase):
    """``size`` bytes made on the fly (never all in memory)."""

    def __init__(self, size: int) -> None:
        self.left, self.block = size, os.urandom(64 * 1024)

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return (self.block * (n // len(self.block) + 1))[:n]


class Sink(io.RawIOBase):
    """Keeps only the hash and the length of what is written."""

    def __init__(self) -> None:
        self.digest, self.size = hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.digest.update(data)
        self.size += len(data)
        return len(data)


def test_150_mb_is_encrypted_and_decrypted_in_a_few_megabytes(tmp_path):
    key, size = crypto.Key(os.urandom(32)), 150 * 1000 * 1000
    sealed_path = tmp_path / "object.enc"
    tracemalloc.start()
    with sealed_path.open("wb") as out:
        plain_digest = hashlib.sha256()
        assert crypto.encrypt_stream(Pattern(size), out, key, "object:x",
                                     on_plain=plain_digest.update) == size
    _now, peak_encrypt = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    sink = Sink()
    with crypto.DecryptingReader(sealed_path.open("rb"), key, "object:x", "x") as reader:
        while chunk := reader.read(crypto.CHUNK):
            sink.write(chunk)
    _now, peak_decrypt = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert sink.size == size and sink.digest.hexdigest() == plain_digest.hexdigest()
    assert sealed_path.stat().st_size == sealed.sealed_size(size)
    assert max(peak_encrypt, peak_decrypt) < 8 * 1024 * 1024, (peak_encrypt, peak_decrypt)


@pytest.mark.parametrize("damage", ["flip", "cut_chunk", "cut_tail", "other_label", "other_key"])
def test_a_damaged_or_misplaced_copy_is_refused(damage):
    key, data = crypto.Key(os.urandom(32)), os.urandom(3 * crypto.CHUNK + 5)
    out = io.BytesIO()
    crypto.encrypt_stream(io.BytesIO(data), out, key, "object:a")
    blob, label, opener = bytearray(out.getvalue()), "object:a", key
    if damage == "flip":
        blob[crypto.HEADER + crypto.CHUNK + 100] ^= 1
    elif damage == "cut_chunk":  # a whole sealed chunk taken out of the middle
        start = crypto.HEADER + crypto.CHUNK + crypto.TAG
        del blob[start:start + crypto.CHUNK + crypto.TAG]
    elif damage == "cut_tail":  # the last chunk dropped at a chunk boundary
        del blob[crypto.HEADER + 3 * (crypto.CHUNK + crypto.TAG):]
    elif damage == "other_label":  # the copy of one object put under another's name
        label = "object:b"
    else:
        opener = crypto.Key(os.urandom(32))
    expected = crypto.WrongKey if damage == "other_key" else crypto.Tampered
    with pytest.raises(expected):
        reader = crypto.DecryptingReader(io.BytesIO(bytes(blob)), opener, label, "x")
        while reader.read(crypto.CHUNK):
            pass


def test_keys_are_parsed_in_either_base64_alphabet():
    raw = bytes(range(250, 256)) + os.urandom(26)
    import base64

    assert crypto.parse_key(base64.b64encode(raw).decode()).secret == raw
    assert crypto.parse_key(base64.urlsafe_b64encode(raw).decode().rstrip("=")).secret == raw
    assert crypto.parse_key("") is None
    with pytest.raises(crypto.KeyMissing):
        crypto.parse_key("c2hvcnQ=")
