"""The independent reading of a JSON or YAML container: Python's json and PyYAML,
the contract's rules written again from scratch. Prints one line per certificate,
`ORIGIN<TAB>PEM-with-\\n-escaped`, in document order; the test hands each PEM to
`openssl x509` for its fingerprints.

Usage: python3 containers_oracle.py FILE
"""
import base64
import json
import re
import sys

import yaml

PEM = re.compile(r"-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----.*?-----END (?:X509 |TRUSTED )?CERTIFICATE-----", re.S)


def pems(text):
    return PEM.findall(text)


def emit(origin, text):
    for p in pems(text):
        print(origin + "\t" + p.replace("\n", "\\n"))


def pointer_token(k):
    return str(k).replace("~", "~0").replace("/", "~1")


def walk_json(node, pointer, depth=0):
    if isinstance(node, dict):
        for k, v in node.items():
            walk_json(v, pointer + "/" + pointer_token(k), depth)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk_json(v, pointer + "/" + str(i), depth)
    elif isinstance(node, str):
        s = node.lstrip()
        if depth < 4 and s[:1] in ("{", "["):
            try:
                walk_json(json.loads(node), pointer, depth + 1)
                return
            except ValueError:
                pass
        emit(pointer or "/", node)


def cert_key(k):
    return k.lower().endswith((".crt", ".pem", ".cer"))


def b64(v):
    return base64.b64decode("".join(v.split())).decode("latin-1")


def walk_k8s(doc):
    if not isinstance(doc, dict):
        return
    if isinstance(doc.get("items"), list):
        for item in doc["items"]:
            walk_k8s(item)
        return
    if doc.get("kind") == "Config" or isinstance(doc.get("clusters"), list) or isinstance(doc.get("users"), list):
        for lst, inner, key in (("clusters", "cluster", "certificate-authority-data"),
                                ("users", "user", "client-certificate-data")):
            for e in doc.get(lst) or []:
                v = (e.get(inner) or {}).get(key)
                if v:
                    emit(f"{lst}/{e.get('name', '')}:{key}", b64(v))
        return
    kind = doc.get("kind", "")
    meta = doc.get("metadata") or {}
    origin = lambda k: f"{kind}/{meta.get('namespace', '')}/{meta.get('name', '')}:{k}"
    if kind == "Secret":
        for k, v in (doc.get("data") or {}).items():
            if cert_key(k):
                emit(origin(k), b64(v))
        for k, v in (doc.get("stringData") or {}).items():
            if cert_key(k) or "-----BEGIN CERTIFICATE" in v:
                emit(origin(k), v)
    elif kind == "ConfigMap":
        for k, v in (doc.get("data") or {}).items():
            if "-----BEGIN" in v and "PRIVATE KEY" not in v:
                emit(origin(k), v)
        for k, v in (doc.get("binaryData") or {}).items():
            if cert_key(k):
                emit(origin(k), b64(v))


def is_manifest(d):
    return isinstance(d, dict) and (("apiVersion" in d and "kind" in d) or d.get("kind") == "Config"
                                    or isinstance(d.get("clusters"), list) or isinstance(d.get("users"), list))


def main(path):
    text = open(path, encoding="utf-8").read()
    if text.lstrip()[:1] in ("{", "["):
        doc = json.loads(text)
        if is_manifest(doc):
            walk_k8s(doc)
        else:
            walk_json(doc, "")
    else:
        for doc in yaml.safe_load_all(text):
            walk_k8s(doc)


main(sys.argv[1])
