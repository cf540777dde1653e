#!/usr/bin/env python3
"""Reference decryptor for Parasol journal backups, written from
docs/journal-format.md alone (no Parasol code). Reads backup versions 1 and 2,
checks the chain, the head and every record's binding to its row, and prints
the entries as JSON (every version, in chain order).

Usage: PARASOL_PASSPHRASE=... python3 scripts/decrypt-backup.py FILE
Needs the `cryptography` package (>= 44, for Argon2id).
"""
import hashlib, json, os, struct, sys, unicodedata
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

SPACES = "\u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"
CAP = (256 * 1024, 8, 8)  # m_kib, t, p (section 3.1)


def fail(why):
    sys.exit("refused: " + why)


def normalise(p: bytes) -> bytes:
    s = "".join(" " if c in SPACES else c for c in p.decode("utf-8"))
    s = unicodedata.normalize("NFC", s)
    if not s.strip():
        fail("empty passphrase")
    return s.encode("utf-8")


def rotl(v, n):
    return ((v << n) & 0xffffffff) | (v >> (32 - n))


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
    """Section 2: version 1, nonce, ciphertext and tag; padded = u32 n || data || zeros."""
    if len(sealed) < 45 or sealed[0] != 1:
        fail("unknown seal version or truncated value")
    padded = xchacha_open(key, sealed[1:25], sealed[25:], b"parasol-seal\x01" + context)
    n = struct.unpack("<I", padded[:4])[0]
    if n > len(padded) - 4:
        fail("bad length in a sealed value")
    return padded[4:4 + n]


def hkdf(salt, ikm, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def prf(key, msg, n):
    return HKDFExpand(algorithm=hashes.SHA256(), length=n, info=msg).derive(key)


def read_backup(data, pwd):
    header, check, pos = data[:42], data[42:74], 74
    if header[:12] != b"PARASOL-JBAK" or header[12] not in (1, 2) or header[13] != 1:
        fail("not a backup of a version this script reads")
    m, t, p = struct.unpack("<3I", header[14:26])
    if m > CAP[0] or t > CAP[1] or p > CAP[2]:
        fail("key-derivation parameters above the cap")
    stretched = Argon2id(salt=header[26:42], length=32, iterations=t, lanes=p, memory_cost=m).derive(pwd)
    K = hkdf(header, stretched, b"parasol-backup-key-v1")
    if prf(K, b"parasol-backup-check-v1" + header, 32) != check:
        sys.exit("wrong passphrase")
    stream, index = b"", 0
    while True:
        ln, last = struct.unpack("<IB", data[pos:pos + 5]); pos += 5
        if ln > 65577 or last > 1:
            fail("damaged chunk")
        stream += open_sealed(K, b"backup-chunk" + header + struct.pack("<QB", index, last), data[pos:pos + ln])
        pos += ln
        index += 1
        if last:
            break
    if pos != len(data):
        fail("data after the final chunk")
    frames, i = [], 0
    while i < len(stream):
        typ, ln = struct.unpack("<BI", stream[i:i + 5])
        frames.append((typ, stream[i + 5:i + 5 + ln]))
        i += 5 + ln
    if not frames or frames[0][0] != 1 or frames[-1][0] != 4:
        fail("frames out of order")
    return header[12], frames


def version_1(frames):
    meta = frames[0][1]
    vault_id, dek, head = meta[:16], meta[16:48], meta[48:]
    k_id = hkdf(vault_id, dek, b"parasol-journal-id-v1")
    plain = open_sealed(dek, b"journal-head\x01" + vault_id, head)
    count, last_hash = struct.unpack("<Q", plain[:8])[0], plain[8:40]
    prev = hashlib.sha256(b"parasol-journal-chain-v1" + vault_id).digest()
    out, n_records = [], 0
    for typ, body in frames[1:]:
        if typ != 2:
            continue
        record_id, h, present, sealed = body[8:24], body[24:56], body[56], body[57:]
        n_records += 1
        if present:
            if hashlib.sha256(sealed).digest() != h:
                fail("record altered")
            rec = json.loads(open_sealed(dek, b"journal-record\x01" + vault_id + record_id, sealed))
            if rec["prev"] != prev.hex():
                fail("chain broken")
            want = prf(k_id, b"record" + bytes.fromhex(rec["entry_id"]) + struct.pack("<I", rec["version"]), 16)
            if want != record_id:
                fail("record moved")
            out.append(rec)
        prev = h
    if n_records != count or prev != last_hash:
        fail("the head does not match the records")
    return {"format": 1, "vault_id": vault_id.hex(), "records": count, "head": prev.hex(), "entries": out}


def version_2(frames):
    meta = frames[0][1]
    vault_id, dek, head = meta[:16], meta[16:48], meta[48:]
    k_id = hkdf(vault_id, dek, b"parasol-journal-id-v1")
    plain = open_sealed(dek, b"journal-head\x02" + vault_id, head)
    if len(plain) != 130 or plain[0] != 2:
        fail("bad head")
    count = struct.unpack("<Q", plain[1:9])[0]
    last_hash, last_record_id, base = plain[9:41], plain[41:57], plain[57:89]
    genesis = hashlib.sha256(b"parasol-journal-chain-v2" + vault_id + base).digest()
    by_n, removed = {}, {}
    for typ, body in frames[1:]:
        if typ != 2:
            continue
        record_id = body[:16]
        slen = struct.unpack("<I", body[16:20])[0]
        summary, detail = body[20:20 + slen], body[20 + slen:]
        h = hashlib.sha256(struct.pack("<I", slen) + summary + detail).digest()
        s = json.loads(open_sealed(dek, b"journal-summary\x02" + vault_id + record_id, summary))
        d = json.loads(open_sealed(dek, b"journal-detail\x02" + vault_id + record_id, detail))
        want = prf(k_id, b"record" + bytes.fromhex(s["entry_id"]) + struct.pack("<I", s["version"]), 16)
        if want != record_id:
            fail("record moved")
        if s["n"] in by_n or not 1 <= s["n"] <= count:
            fail("bad chain position")
        by_n[s["n"]] = (s, d, h, record_id)
        for r in s["removed"]:
            removed[r["n"]] = bytes.fromhex(r["hash"])
    prev, out = genesis, []
    for n in range(1, count + 1):
        if n in by_n:
            s, d, h, record_id = by_n[n]
            if d["prev"] != prev.hex():
                fail("chain broken at %d" % n)
            if s["type"] == "entry":
                out.append(dict(s, **d))
            prev = h
        elif n in removed:
            prev = removed[n]
        else:
            fail("record %d missing" % n)
    if prev != last_hash or (count and by_n.get(count, (None,) * 4)[3] not in (None, last_record_id)):
        fail("the head does not match the records")
    return {"format": 2, "vault_id": vault_id.hex(), "records": count, "base": base.hex(), "head": prev.hex(), "entries": out}


def main():
    data = open(sys.argv[1], "rb").read()
    version, frames = read_backup(data, normalise(os.environb[b"PARASOL_PASSPHRASE"]))
    result = version_1(frames) if version == 1 else version_2(frames)
    print(json.dumps(result, indent=1, ensure_ascii=False))


main()
