#!/usr/bin/env python3
"""Reference decryptor for Parasol journal backups, written from
docs/journal-format.md alone (no Parasol code). Prints the entries as JSON.

Usage: PARASOL_PASSPHRASE=... python3 scripts/decrypt-backup.py FILE
Needs the `cryptography` package (>= 44, for Argon2id).
"""
import hashlib, json, os, struct, sys, unicodedata
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

SPACES = "\u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"

def normalise(p: bytes) -> bytes:
    s = "".join(" " if c in SPACES else c for c in p.decode("utf-8"))
    return unicodedata.normalize("NFC", s).encode("utf-8")

def rotl(v, n): return ((v << n) & 0xffffffff) | (v >> (32 - n))

def hchacha20(key: bytes, nonce16: bytes) -> bytes:
    s = list(struct.unpack("<4I", b"expand 32-byte k")) + list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16))
    def qr(a, b, c, d):
        s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = rotl(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = rotl(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = rotl(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = rotl(s[b] ^ s[c], 7)
    for _ in range(10):
        qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15)
        qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))

def xchacha_open(key, nonce24, ct, aad):
    sub = hchacha20(key, nonce24[:16])
    return ChaCha20Poly1305(sub).decrypt(b"\0\0\0\0" + nonce24[16:], ct, aad)

def open_sealed(key, context, sealed):
    assert sealed[0] == 1 and len(sealed) >= 45, "unknown seal version"
    padded = xchacha_open(key, sealed[1:25], sealed[25:], b"parasol-seal\x01" + context)
    n = struct.unpack("<I", padded[:4])[0]
    assert n <= len(padded) - 4
    return padded[4:4 + n]

def hkdf(salt, ikm, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)

def prf(key, msg, n):
    return HKDFExpand(algorithm=hashes.SHA256(), length=n, info=msg).derive(key)

def main():
    data = open(sys.argv[1], "rb").read()
    header, check, pos = data[:42], data[42:74], 74
    assert header[:12] == b"PARASOL-JBAK" and header[12] == 1 and header[13] == 1
    m, t, p = struct.unpack("<3I", header[14:26])
    salt = header[26:42]
    pwd = normalise(os.environb[b"PARASOL_PASSPHRASE"])
    stretched = Argon2id(salt=salt, length=32, iterations=t, lanes=p, memory_cost=m).derive(pwd)
    K = hkdf(header, stretched, b"parasol-backup-key-v1")
    if prf(K, b"parasol-backup-check-v1" + header, 32) != check:
        sys.exit("wrong passphrase")
    stream, index = b"", 0
    while True:
        ln, last = struct.unpack("<IB", data[pos:pos + 5]); pos += 5
        sealed = data[pos:pos + ln]; pos += ln
        stream += open_sealed(K, b"backup-chunk" + header + struct.pack("<QB", index, last), sealed)
        index += 1
        if last: break
    assert pos == len(data), "data after the final chunk"
    frames, i = [], 0
    while i < len(stream):
        typ, ln = struct.unpack("<BI", stream[i:i + 5]); frames.append((typ, stream[i + 5:i + 5 + ln])); i += 5 + ln
    meta = frames[0][1]
    vault_id, dek, head = meta[:16], meta[16:48], meta[48:]
    k_id = hkdf(vault_id, dek, b"parasol-journal-id-v1")
    count, last_hash = struct.unpack("<Q", open_sealed(dek, b"journal-head\x01" + vault_id, head)[:8])[0], None
    prev = hashlib.sha256(b"parasol-journal-chain-v1" + vault_id).digest()
    out, n_records = [], 0
    for typ, body in frames[1:]:
        if typ != 2: continue
        record_id, h, present, sealed = body[8:24], body[24:56], body[56], body[57:]
        n_records += 1
        if present:
            assert hashlib.sha256(sealed).digest() == h
            rec = json.loads(open_sealed(dek, b"journal-record\x01" + vault_id + record_id, sealed))
            assert rec["prev"] == prev.hex(), "chain broken"
            want = prf(k_id, b"record" + bytes.fromhex(rec["entry_id"]) + struct.pack("<I", rec["version"]), 16)
            assert want == record_id, "record moved"
            out.append(rec)
        prev = h
    assert n_records == count, "head count"
    print(json.dumps({"vault_id": vault_id.hex(), "records": n_records, "head": prev.hex(), "entries": out}, indent=1, ensure_ascii=False))

main()
