#!/usr/bin/env python3
"""Deterministic benchmark corpus for certaudit (see BENCHMARKS.md).

The issue's corpus: leaf certificates, 70% ECDSA P-256, 25% RSA-2048 and 5% RSA-4096
public keys, with realistic subjects and SANs, issued by a few CAs (a root and three
issuing CAs). Everything follows from --seed: keys are derived from it (EC scalars
and RSA primes drawn from a seeded generator), ECDSA signatures are RFC 6979
deterministic, RSA PKCS#1 v1.5 ones are deterministic anyway, and certificate i only
depends on (seed, i), so any size is a prefix of any larger one and the work splits
over processes.

    python3 bench/gen_corpus.py --count 100000 --out bench/corpus

writes (under --out):
    bundle-<N>.pem   the N leaves as one PEM bundle
    cas.pem          the root and the issuing CAs
    chain3.pem       one served chain: leaf, its issuing CA, the root
    der-<M>/         the first M leaves as DER files, one per file (--der M)

Generated corpora are large: bench/corpus/ is in .gitignore.
"""

import argparse
import datetime as dt
import multiprocessing
import os
import random
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, AuthorityInformationAccessOID

def _sieve(n):
    flags = bytearray([1]) * n
    flags[0:2] = b"\0\0"
    for p in range(2, int(n**0.5) + 1):
        if flags[p]:
            flags[p * p :: p] = bytes(len(range(p * p, n, p)))
    return [p for p in range(3, n) if flags[p]]


SMALL_PRIMES = _sieve(50_000)


def is_probable_prime(n, rng, rounds=12):
    if n < 2:
        return False
    for p in SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        a = rng.randrange(2, n - 2)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def rsa_key(bits, rng):
    """An RSA key whose primes come from `rng` (deterministic)."""
    e = 65537
    while True:
        primes = []
        while len(primes) < 2:
            c = rng.getrandbits(bits // 2) | (3 << (bits // 2 - 2)) | 1
            if (c - 1) % e and is_probable_prime(c, rng):
                primes.append(c)
        p, q = primes
        if p != q and (p * q).bit_length() == bits:
            break
    phi = (p - 1) * (q - 1)
    d = pow(e, -1, phi)
    pub = rsa.RSAPublicNumbers(e, p * q)
    return rsa.RSAPrivateNumbers(
        p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q), pub
    ).private_key()


EC_ORDER = {
    "P-256": (ec.SECP256R1(), 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551),
    "P-384": (
        ec.SECP384R1(),
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973,
    ),
}


def ec_key(curve, rng):
    c, n = EC_ORDER[curve]
    return ec.derive_private_key(rng.randrange(1, n), c)


def sign(builder, key):
    if isinstance(key, ec.EllipticCurvePrivateKey):
        algo = hashes.SHA384() if key.curve.key_size == 384 else hashes.SHA256()
        return builder.sign(key, algo, ecdsa_deterministic=True)
    return builder.sign(key, hashes.SHA256())


def name(*pairs):
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in pairs])


def derive_keys(seed):
    """The root's, the issuing CAs' and the leaves' keys, in a fixed order, from `seed`."""
    rng = random.Random(f"{seed}:keys")
    keys = [rsa_key(4096, rng), ec_key("P-256", rng), ec_key("P-384", rng), rsa_key(2048, rng)]
    keys += [ec_key("P-256", rng) for _ in range(8)]
    keys += [rsa_key(2048, rng) for _ in range(4)]
    keys += [rsa_key(4096, rng) for _ in range(2)]
    return keys


def save_keys(path, keys):
    """Caches the derived keys (deriving RSA primes in Python takes a while)."""
    with open(path + ".tmp", "wb") as f:
        for k in keys:
            f.write(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    os.replace(path + ".tmp", path)


def load_keys(path):
    data = open(path, "rb").read()
    marker = b"-----END PRIVATE KEY-----\n"
    return [serialization.load_pem_private_key(p + marker, None) for p in data.split(marker) if p.strip()]


class Hierarchy:
    """A root and three issuing CAs, plus the handful of leaf keys every leaf reuses."""

    def __init__(self, seed, cache=None):
        keys = load_keys(cache) if cache and os.path.exists(cache) else derive_keys(seed)
        if cache and not os.path.exists(cache):
            save_keys(cache, keys)
        self.root_key, ca, p256, r2048, r4096 = keys[0], keys[1:4], keys[4:12], keys[12:16], keys[16:18]
        self.ca_keys = ca
        self.leaf_keys = {"P-256": p256, "RSA-2048": r2048, "RSA-4096": r4096}
        self.leaf_pubs = {k: [key.public_key() for key in v] for k, v in self.leaf_keys.items()}
        t0 = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
        root_name = name(
            (NameOID.COUNTRY_NAME, "US"),
            (NameOID.ORGANIZATION_NAME, "Certaudit Bench Trust Services"),
            (NameOID.COMMON_NAME, "Certaudit Bench Root R1"),
        )
        root = (
            x509.CertificateBuilder()
            .subject_name(root_name)
            .issuer_name(root_name)
            .public_key(self.root_key.public_key())
            .serial_number(0x1000)
            .not_valid_before(t0)
            .not_valid_after(t0 + dt.timedelta(days=25 * 365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.root_key.public_key()), critical=False)
        )
        self.root = sign(root, self.root_key)
        self.cas = []
        for i, (key, label) in enumerate(zip(self.ca_keys, ["ECC Issuing CA E1", "ECC Issuing CA E2", "RSA Issuing CA R3"])):
            n = name(
                (NameOID.COUNTRY_NAME, "US"),
                (NameOID.ORGANIZATION_NAME, "Certaudit Bench Trust Services"),
                (NameOID.COMMON_NAME, f"Certaudit Bench {label}"),
            )
            b = (
                x509.CertificateBuilder()
                .subject_name(n)
                .issuer_name(root_name)
                .public_key(key.public_key())
                .serial_number(0x2000 + i)
                .not_valid_before(t0 + dt.timedelta(days=365))
                .not_valid_after(t0 + dt.timedelta(days=12 * 365))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(
                    x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
                )
                .add_extension(
                    x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                    critical=False,
                )
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .add_extension(
                    x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root_key.public_key()), critical=False
                )
            )
            self.cas.append(sign(b, self.root_key))


WORDS = (
    "api app auth billing blog cdn cloud cms dashboard data dev docs edge files gateway git grafana "
    "id images internal jenkins kube login mail media metrics mobile monitor my news oidc pay portal "
    "prod registry search secure shop sso stage static status store support vault vpn web www"
).split()
DOMAINS = (
    "acme example contoso fabrikam globex initech umbrella hooli vandelay stark wayne wonka "
    "tyrell cyberdyne soylent oscorp aperture blackmesa northwind tailspin"
).split()
TLDS = ["com", "net", "org", "io", "de", "co.uk", "fr", "nl", "cloud", "dev"]
ORGS = ["Inc.", "LLC", "GmbH", "Ltd", "S.A.", "B.V."]
PLACES = [
    ("US", "California", "San Francisco"),
    ("US", "New York", "New York"),
    ("US", "Washington", "Seattle"),
    ("DE", "Bayern", "München"),
    ("GB", "England", "London"),
    ("FR", "Île-de-France", "Paris"),
    ("NL", "Noord-Holland", "Amsterdam"),
    ("JP", "Tokyo", "Chiyoda-ku"),
]
KIND_WEIGHTS = [("P-256", 70), ("RSA-2048", 25), ("RSA-4096", 5)]

_H = None


def _init(seed, cache):
    global _H
    _H = Hierarchy(seed, cache)


def leaf(seed, i, h=None):
    """Certificate i of the corpus: DER bytes."""
    h = h or _H
    rng = random.Random(f"{seed}:leaf:{i}")
    r = rng.randrange(100)
    kind = "P-256" if r < 70 else ("RSA-2048" if r < 95 else "RSA-4096")
    pub = rng.choice(h.leaf_pubs[kind])
    ca_index = rng.choices([0, 1, 2], weights=[45, 35, 20])[0]
    ca, ca_key = h.cas[ca_index], h.ca_keys[ca_index]
    domain = f"{rng.choice(DOMAINS)}{rng.randrange(1, 5000)}.{rng.choice(TLDS)}"
    host = f"{rng.choice(WORDS)}.{domain}" if rng.random() < 0.7 else domain
    ov = rng.random() < 0.3
    attrs = []
    if ov:
        c, st, loc = rng.choice(PLACES)
        org = f"{domain.split('.')[0].rstrip('0123456789').capitalize()} {rng.choice(ORGS)}"
        attrs = [
            (NameOID.COUNTRY_NAME, c),
            (NameOID.STATE_OR_PROVINCE_NAME, st),
            (NameOID.LOCALITY_NAME, loc),
            (NameOID.ORGANIZATION_NAME, org),
        ]
    attrs.append((NameOID.COMMON_NAME, host))
    sans = [host]
    if host != domain:
        sans.append(domain)
    elif rng.random() < 0.5:
        sans.append("www." + domain)
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        s = f"{rng.choice(WORDS)}.{domain}"
        if s not in sans:
            sans.append(s)
    if rng.random() < 0.15:
        sans.append("*." + domain)
    start = dt.datetime(2025, 9, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=rng.randrange(122 * 86400))
    days = rng.choices([90, 198, 397], weights=[40, 20, 40])[0]
    b = (
        x509.CertificateBuilder()
        .subject_name(name(*attrs))
        .issuer_name(ca.subject)
        .public_key(pub)
        .serial_number(rng.getrandbits(159) | (1 << 150))
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days, seconds=-1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, kind != "P-256", False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(f"http://o.bench.example/{ca_index}")
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
        .add_extension(
            x509.CertificatePolicies(
                [x509.PolicyInformation(x509.ObjectIdentifier("2.23.140.1.2.2" if ov else "2.23.140.1.2.1"), None)]
            ),
            critical=False,
        )
    )
    return sign(b, ca_key).public_bytes(serialization.Encoding.DER)


def _leaf_range(args):
    seed, lo, hi = args
    return [leaf(seed, i) for i in range(lo, hi)]


def pem(der):
    import base64

    b = base64.b64encode(der).decode()
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(b[i : i + 64] for i in range(0, len(b), 64)) + "\n-----END CERTIFICATE-----\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=100_000, help="leaves in the PEM bundle")
    ap.add_argument("--der", type=int, default=0, help="also write the first M leaves as DER files")
    ap.add_argument("--seed", default="certaudit-bench-1")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    cache = os.path.join(a.out, f"keys-{a.seed}.pem")
    h = Hierarchy(a.seed, cache)
    with open(os.path.join(a.out, "cas.pem"), "w") as f:
        for c in [h.root] + h.cas:
            f.write(c.public_bytes(serialization.Encoding.PEM).decode())
    first = leaf(a.seed, 0, h)
    issuer = next(c for c in h.cas if c.subject == x509.load_der_x509_certificate(first).issuer)
    with open(os.path.join(a.out, "chain3.pem"), "w") as f:
        f.write(pem(first))
        f.write(issuer.public_bytes(serialization.Encoding.PEM).decode())
        f.write(h.root.public_bytes(serialization.Encoding.PEM).decode())
    n = max(a.count, a.der)
    step = 2000
    ranges = [(a.seed, lo, min(lo + step, n)) for lo in range(0, n, step)]
    path = os.path.join(a.out, f"bundle-{a.count // 1000}k.pem" if a.count % 1000 == 0 else f"bundle-{a.count}.pem")
    der_dir = os.path.join(a.out, f"der-{a.der // 1000}k" if a.der % 1000 == 0 else f"der-{a.der}") if a.der else None
    if der_dir:
        os.makedirs(der_dir, exist_ok=True)
    done = 0
    with multiprocessing.Pool(a.jobs, initializer=_init, initargs=(a.seed, cache)) as pool, open(path + ".tmp", "w") as out:
        for part in pool.imap(_leaf_range, ranges):
            for der in part:
                if done < a.count:
                    out.write(pem(der))
                if der_dir and done < a.der:
                    with open(os.path.join(der_dir, f"{done:06d}.der"), "wb") as f:
                        f.write(der)
                done += 1
            print(f"\r{done}/{n}", end="", file=sys.stderr, flush=True)
    os.replace(path + ".tmp", path)
    print(f"\nwrote {path} ({os.path.getsize(path)} bytes)" + (f" and {der_dir}/" if der_dir else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
