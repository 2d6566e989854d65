#!/usr/bin/env python3
"""The Python `cryptography` peer of the benchmark (see BENCHMARKS.md).

Does the full job certaudit's `check --bundle` does for the table in the issue: for
every certificate of a PEM bundle (or of every file under a folder, PEM or DER), both
fingerprints (SHA-1, SHA-256), the serial, the subject, the issuer and the validity
dates, one JSON object a line on stdout.

    python3 bench/peer_python.py bench/corpus/bundle-100k.pem > /dev/null
"""

import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes


def certificates(path):
    """The certificates of a file, or of every file under a folder (sorted)."""
    if os.path.isdir(path):
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                yield from certificates(os.path.join(root, name))
        return
    with open(path, "rb") as f:
        data = f.read()
    if b"-----BEGIN" in data:
        yield from x509.load_pem_x509_certificates(data)
    else:
        yield x509.load_der_x509_certificate(data)


def main():
    out = sys.stdout
    sha1, sha256 = hashes.SHA1(), hashes.SHA256()
    for path in sys.argv[1:]:
        for c in certificates(path):
            out.write(
                json.dumps(
                    {
                        "sha1": c.fingerprint(sha1).hex().upper(),
                        "sha256": c.fingerprint(sha256).hex().upper(),
                        "serial": format(c.serial_number, "x"),
                        "subject": c.subject.rfc4514_string(),
                        "issuer": c.issuer.rfc4514_string(),
                        "not_before": c.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "not_after": c.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    }
                )
            )
            out.write("\n")


if __name__ == "__main__":
    main()
