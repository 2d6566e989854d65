#!/usr/bin/env python3
"""Oracle for tests/integration/trust.rs: for each limbo-online case (a real server
chain with its validation time and host), the anchor that Python cryptography's own
verifier (cryptography.x509.verification, PolicyBuilder over certifi's Mozilla bundle)
finds. Prints one line per case: FILE<TAB>SHA-256 of the anchor (or ERROR: why)."""
import datetime, hashlib, json, sys

import certifi
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.verification import PolicyBuilder, Store

roots = x509.load_pem_x509_certificates(open(certifi.where(), "rb").read())
store = Store(roots)
for path in sys.argv[1:]:
    case = json.load(open(path))
    leaf = x509.load_pem_x509_certificate(case["peer_certificate"].encode())
    inter = [x509.load_pem_x509_certificate(p.encode()) for p in case.get("untrusted_intermediates", [])]
    at = datetime.datetime.fromisoformat(case["validation_time"].replace("Z", "+00:00"))
    name = (case.get("expected_peer_name") or {}).get("value")
    try:
        verifier = PolicyBuilder().store(store).time(at).build_server_verifier(x509.DNSName(name))
        chain = verifier.verify(leaf, inter)
        anchor = chain[-1].public_bytes(Encoding.DER)
        print(f"{path}\t{hashlib.sha256(anchor).hexdigest().upper()}")
    except Exception as e:  # noqa: BLE001 - the reason is the output
        print(f"{path}\tERROR: {e}")
