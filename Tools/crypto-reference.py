#!/usr/bin/env python3
"""An independent reader of Warren's encryption formats, written from the README's
description ("Encryption at rest: formats") alone, with Python's `cryptography` and
hashlib's scrypt. The Swift tests run it on envelopes and key files that Warren wrote, so
a change of format cannot pass unnoticed. Not used by Warren itself.

  crypto-reference.py open-envelope FILE ENCRYPTION_KEY_HEX KIND NAME_HEX
      prints the SHA-256 of the plaintext; exit 1 if the envelope does not open
  crypto-reference.py open-key FILE PASSWORD_FILE
      prints the encryption key, the object id key and the fingerprint (hex); exit 1 if
      the password does not open the key file
"""
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KINDS = {"file": 1, "definitions": 2, "manifest": 3, "state": 4, "pack_index": 5, "config": 6}
ALGORITHMS = {1: AESGCM, 2: ChaCha20Poly1305}
ALGORITHM_NAMES = {"aes-256-gcm": AESGCM, "chacha20-poly1305": ChaCha20Poly1305}


def hkdf(ikm, salt, info, length):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def open_envelope(data, encryption_key, kind, name):
    header = data[:40]
    if len(header) != 40 or header[:4] != b"WRNS":
        raise ValueError("no envelope header")
    version, algorithm, found_kind, shift, salt = header[4], header[5], header[6], header[7], header[8:40]
    if version != 1 or found_kind != KINDS[kind] or not 12 <= shift <= 24:
        raise ValueError("header: version %d, kind %d, shift %d" % (version, found_kind, shift))
    aead = ALGORITHMS[algorithm](hkdf(encryption_key, salt, b"warren envelope key" + header[:8], 32))
    size = (1 << shift) + 16
    body = data[40:]
    chunks = [body[i:i + size] for i in range(0, len(body), size)] or [b""]
    plain = []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        nonce = index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
        ad = header + (len(name).to_bytes(2, "big") + name if last else b"")
        plain.append(aead.decrypt(nonce, chunk, ad))
    return b"".join(plain)


def open_key(document, password):
    kdf = document["kdf"]
    wrapping = hashlib.scrypt(password, salt=base64.b64decode(kdf["salt"]), n=kdf["n"], r=kdf["r"], p=kdf["p"],
                              maxmem=256 * 1024 * 1024, dklen=32)
    lines = [
        "%s %d" % (document["format"], document["version"]),
        "created_at=" + document["created_at"], "host=" + document["host"], "user=" + document["user"],
        "kdf=%s n=%d r=%d p=%d salt=%s" % (kdf["name"], kdf["n"], kdf["r"], kdf["p"], kdf["salt"]),
        "algorithm=" + document["algorithm"], "nonce=" + document["nonce"],
        "key_fingerprint=" + document["key_fingerprint"],
    ]
    ad = b"".join(len(line.encode()).to_bytes(4, "big") + line.encode() for line in lines)
    aead = ALGORITHM_NAMES[document["algorithm"]](wrapping)
    master = aead.decrypt(base64.b64decode(document["nonce"]), base64.b64decode(document["sealed_master_key"]), ad)
    derive = lambda label, n: hkdf(master, b"warren master key v1", b"warren/v1/" + label, n)
    fingerprint = derive(b"fingerprint", 16).hex()
    if fingerprint != document["key_fingerprint"]:
        raise ValueError("fingerprint mismatch")
    return derive(b"encryption", 32).hex(), derive(b"object id", 32).hex(), fingerprint


def main(argv):
    try:
        if argv[1:2] == ["open-envelope"] and len(argv) == 6:
            with open(argv[2], "rb") as f:
                plain = open_envelope(f.read(), bytes.fromhex(argv[3]), argv[4], bytes.fromhex(argv[5]))
            print(hashlib.sha256(plain).hexdigest())
        elif argv[1:2] == ["open-key"] and len(argv) == 4:
            with open(argv[2], "rb") as f:
                document = json.load(f)
            with open(argv[3], "rb") as f:
                password = f.read().strip()
            print(" ".join(open_key(document, password)))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (InvalidTag, ValueError, KeyError) as error:
        print("crypto-reference: does not open: %r" % error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
