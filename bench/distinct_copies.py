#!/usr/bin/env python3
"""Many distinct certificates, fast: copies of a PEM bundle's certificates, each
copy with its serial number's last byte and the byte before it replaced by the copy
number, so every copy has another SHA-256 (its signature no longer verifies, which
`inventory` never checks for a leaf). For inventory's 100k and 1M figures
(BENCHMARKS.md): gen_corpus.py takes over half an hour for a million.

    python3 bench/distinct_copies.py bundle-10k.pem 100 > bundle-1m-distinct.pem
"""

import base64
import sys


def serial_offset(der):
    """Offset of the serial INTEGER's value in a Certificate's DER."""

    def header(at):
        n = der[at + 1]
        if n & 0x80:
            k = n & 0x7F
            return at + 2 + k, int.from_bytes(der[at + 2 : at + 2 + k], "big")
        return at + 2, n

    tbs, _ = header(0)  # Certificate SEQUENCE -> its content
    at, _ = header(tbs)  # tbsCertificate SEQUENCE -> its content
    if der[at] == 0xA0:  # [0] version
        v, n = header(at)
        at = v + n
    value, n = header(at)  # serial INTEGER
    return value, n


def main():
    src, copies = sys.argv[1], int(sys.argv[2])
    ders = []
    block = []
    for line in open(src):
        if line.startswith("-----BEGIN CERTIFICATE"):
            block = []
        elif line.startswith("-----END CERTIFICATE"):
            ders.append(base64.b64decode("".join(block)))
        else:
            block.append(line.strip())
    out = sys.stdout
    for c in range(copies):
        for der in ders:
            d = bytearray(der)
            value, n = serial_offset(d)
            if n >= 3:
                d[value + n - 2] = (c >> 8) & 0xFF
                d[value + n - 1] = c & 0xFF
            b64 = base64.b64encode(bytes(d)).decode()
            out.write("-----BEGIN CERTIFICATE-----\n")
            for i in range(0, len(b64), 64):
                out.write(b64[i : i + 64] + "\n")
            out.write("-----END CERTIFICATE-----\n")


if __name__ == "__main__":
    main()
