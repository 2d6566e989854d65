#!/usr/bin/env python3
"""Independent oracle for `certaudit inventory`: every certificate below FOLDER,
read with Python `cryptography` (PEM, DER, PKCS#7, PKCS#12), PyYAML plus
`cryptography` (kubeconfigs and Secrets) and `keytool -list -rfc` plus
`cryptography` (JKS/JCEKS). Prints {sha256: [file, ...]} as JSON, one file name
per occurrence, names relative to FOLDER.

    python3 tests/inventory_oracle.py FOLDER PASSWORD
"""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7, pkcs12

PEM = re.compile(rb"-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----.*?-----END (?:X509 |TRUSTED )?CERTIFICATE-----", re.S)


def pem_certs(data):
    out = []
    for block in PEM.findall(data):
        body = b"".join(block.splitlines()[1:-1])
        der = base64.b64decode(body)
        # a TRUSTED CERTIFICATE appends its trust settings after the certificate
        cert = x509.load_der_x509_certificate(der) if not block.startswith(b"-----BEGIN TRUSTED") else None
        if cert is None:
            # the certificate is the first DER element
            length = der[1]
            if length & 0x80:
                n = length & 0x7F
                length = int.from_bytes(der[2 : 2 + n], "big") + 2 + n
            else:
                length += 2
            cert = x509.load_der_x509_certificate(der[:length])
        out.append(cert)
    return out


def der_length(der):
    """The length of the DER element at the start of `der`, header included."""
    length = der[1]
    if length & 0x80:
        n = length & 0x7F
        return int.from_bytes(der[2 : 2 + n], "big") + 2 + n
    return length + 2


def der_certs(data):
    """One DER certificate, or several concatenated."""
    out = []
    while data:
        n = der_length(data)
        out.append(x509.load_der_x509_certificate(data[:n]))
        data = data[n:]
    return out


def yaml_certs(data):
    import yaml

    out = []
    for doc in yaml.safe_load_all(data):
        if not isinstance(doc, dict):
            continue
        docs = doc.get("items", [doc]) if doc.get("kind") == "List" else [doc]
        for d in docs:
            if d.get("kind") == "Config" or "clusters" in d:
                for c in d.get("clusters", []) or []:
                    v = (c.get("cluster") or {}).get("certificate-authority-data")
                    if v:
                        out += pem_certs(base64.b64decode(v))
                for u in d.get("users", []) or []:
                    v = (u.get("user") or {}).get("client-certificate-data")
                    if v:
                        out += pem_certs(base64.b64decode(v))
            if d.get("kind") == "Secret":
                for k, v in (d.get("data") or {}).items():
                    if k.endswith((".crt", ".pem", ".cer")):
                        out += pem_certs(base64.b64decode(v))
                for k, v in (d.get("stringData") or {}).items():
                    out += pem_certs(v.encode())
            if d.get("kind") == "ConfigMap":
                for k, v in (d.get("data") or {}).items():
                    out += pem_certs(v.encode())
    return out


def certs_of(path, data, password):
    if data[:4] in (b"\xfe\xed\xfe\xed", b"\xce\xce\xce\xce"):
        rfc = subprocess.run(
            ["keytool", "-list", "-rfc", "-keystore", path, "-storepass", password],
            capture_output=True, check=True,
        ).stdout
        return pem_certs(rfc)
    if data.startswith(b"0"):
        for load in (
            lambda: der_certs(data),
            lambda: pkcs7.load_der_pkcs7_certificates(data),
            lambda: [c.certificate for c in pkcs12.load_pkcs12(data, password.encode()).additional_certs]
            + ([pkcs12.load_pkcs12(data, password.encode()).cert.certificate] if pkcs12.load_pkcs12(data, password.encode()).cert else []),
        ):
            try:
                return load()
            except Exception:
                pass
        return []
    if b"-----BEGIN PKCS7-----" in data:
        return pkcs7.load_pem_pkcs7_certificates(data)
    if b"apiVersion" in data or b"clusters:" in data:
        return yaml_certs(data)
    return pem_certs(data)


def main():
    folder, password = sys.argv[1], sys.argv[2]
    found = {}
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                data = f.read()
            for cert in certs_of(path, data, password):
                sha = hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest().upper()
                found.setdefault(sha, []).append(os.path.relpath(path, folder))
    for v in found.values():
        v.sort()
    json.dump(found, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
