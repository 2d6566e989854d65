#!/usr/bin/env python3
"""Runs x509-limbo's server-authentication test cases through `certaudit check`.

    scripts/limbo.py LIMBO_JSON CERTAUDIT [--webpki RESULTS_JSON] [--out DIR]
                     [--exceptions FILE] [--include GLOB] [--jobs N]

LIMBO_JSON is x509-limbo's `limbo.json` (https://github.com/C2SP/x509-limbo, the
generated test suite at the top of the repository); CERTAUDIT the binary to test
(target/release/certaudit). For every selected case the script writes the case's
trusted certificates (the `--trust` file) and the served chain (the peer certificate
first, then the untrusted intermediates in limbo's order) and runs

    certaudit check --format json --trust TRUST.pem [--host NAME] [--at TIME] CHAIN.pem

then maps the input's `chain.trust.status` (spec/contract.md) to limbo's outcome:
`trusted` is SUCCESS, `untrusted` (or no `chain.trust` at all) is FAILURE. It prints
the counts by expected outcome, the skips by reason and every disagreement, and writes
DIR/results.csv (one row per case) and DIR/mismatches.md.

Selection: what certaudit's model covers, which is what rustls-webpki's own harness in
limbo (harness/rust-rustls) runs, minus the inputs certaudit has no option for:

- `validation_kind` SERVER only (certaudit validates a server's chain; CLIENT cases
  ask for client-certificate validation);
- no `max_chain_depth` (certaudit has no depth option; webpki's harness skips these too);
- no `signature_algorithms` or `key_usage` constraint (no option; webpki's harness
  skips them too);
- `extended_key_usage` empty or exactly serverAuth (certaudit always asks webpki for
  serverAuth, which is what an empty list means for a TLS client);
- no `crls` (certaudit checks no revocation: it has no CRL input; webpki's harness
  feeds webpki the CRLs, so there the two differ by design);
- `expected_peer_name` absent, DNS or IP (`--host` takes both; RFC822 is for e-mail).

Features (`pedantic-*`, `denial-of-service`, ...) are not a reason to skip: the case
is run and its features are listed beside any disagreement. A case without
`validation_time` is evaluated now (certaudit's default, as limbo says).

With --webpki, a limbo results file (the `LimboResult` JSON limbo's harnesses write,
e.g. harness/rust-rustls's output) is compared on the same selection, and each row of
results.csv says what rustls-webpki concluded.

With --exceptions (scripts/limbo-exceptions.tsv: `id<TAB>class`, `#` comments), every
case where certaudit says `trusted` and limbo expects FAILURE must be listed there (the
argued exceptions of BENCHMARKS.md, "x509-limbo"); one that is not is a regression.

Python 3 standard library only. Exit 0 when every selected case ran and no unlisted
trusted-but-FAILURE case was found, 1 when one was (with --exceptions), 2 on a usage
error or when certaudit failed to run (exit 2 or bad JSON).
"""

import argparse
import collections
import concurrent.futures
import csv
import datetime
import fnmatch
import json
import os
import subprocess
import sys
import tempfile

SERVER_EKU = {"serverAuth"}


def skip_reason(tc):
    """Why certaudit's model does not cover `tc`, or None when it does."""
    if tc.get("validation_kind") != "SERVER":
        return "CLIENT validation (certaudit validates server chains)"
    if tc.get("max_chain_depth") is not None or "max-chain-depth" in tc.get("features", []):
        return "max_chain_depth (no option)"
    if tc.get("signature_algorithms"):
        return "signature_algorithms constraint (no option)"
    if tc.get("key_usage"):
        return "key_usage constraint (no option)"
    if not set(tc.get("extended_key_usage") or []) <= SERVER_EKU:
        return "extended_key_usage other than serverAuth"
    if tc.get("crls"):
        return "CRLs (certaudit checks no revocation)"
    peer = tc.get("expected_peer_name")
    if peer is not None and peer.get("kind") not in ("DNS", "IP"):
        return f"{peer.get('kind')} peer name"
    return None


def at_arg(value):
    """limbo's ISO 8601 time (`+00:00`, maybe milliseconds) → certaudit's `--at`."""
    t = datetime.datetime.fromisoformat(value).astimezone(datetime.timezone.utc)
    return t.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def pem_join(pems):
    return "".join(p if p.endswith("\n") else p + "\n" for p in pems)


def run_case(tc, certaudit, work):
    """Runs one case; returns a dict of what certaudit said."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in tc["id"])
    trust = os.path.join(work, safe + ".trust.pem")
    chain = os.path.join(work, safe + ".chain.pem")
    with open(trust, "w") as f:
        f.write(pem_join(tc["trusted_certs"]))
    with open(chain, "w") as f:
        f.write(pem_join([tc["peer_certificate"]] + tc["untrusted_intermediates"]))
    cmd = [certaudit, "check", "--format", "json", "--trust", trust]
    peer = tc.get("expected_peer_name")
    if peer is not None:
        cmd += ["--host", peer["value"]]
    if tc.get("validation_time"):
        cmd += ["--at", at_arg(tc["validation_time"])]
    cmd.append(chain)
    out = {"cmd": cmd, "status": None, "reason": None, "detail": None, "leaf": None}
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        out["error"] = "timeout (120 s)"
        return out
    if p.returncode not in (0, 1):
        out["error"] = f"exit {p.returncode}: {p.stderr.decode(errors='replace').strip()}"
        return out
    try:
        doc = json.loads(p.stdout)
        inp = doc["inputs"][0]
    except (ValueError, KeyError, IndexError) as e:
        out["error"] = f"unreadable JSON: {e}"
        return out
    chain_obj = inp.get("chain") or {}
    out["leaf"] = chain_obj.get("leaf")
    t = chain_obj.get("trust")
    if t is not None:
        out["status"] = t.get("status")
        out["reason"] = t.get("reason")
        out["detail"] = t.get("detail")
    return out


def outcome(res):
    return "SUCCESS" if res.get("status") == "trusted" else "FAILURE"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("limbo", help="x509-limbo's limbo.json")
    ap.add_argument("certaudit", help="the certaudit binary")
    ap.add_argument("--webpki", help="a limbo results file for rustls-webpki to compare")
    ap.add_argument("--out", default="target/limbo", help="where results.csv goes")
    ap.add_argument("--exceptions", help="the argued trusted-but-FAILURE cases (id TAB class)")
    ap.add_argument("--include", help="only case ids matching this fnmatch pattern")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    with open(args.limbo) as f:
        suite = json.load(f)
    cases = suite["testcases"]
    if args.include:
        cases = [tc for tc in cases if fnmatch.fnmatch(tc["id"], args.include)]
    webpki = {}
    if args.webpki:
        with open(args.webpki) as f:
            webpki = {r["id"]: r for r in json.load(f)["results"]}

    known = {}
    if args.exceptions:
        with open(args.exceptions) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    case_id, _, cls = line.partition("\t")
                    known[case_id.strip()] = cls.strip()

    skipped = collections.Counter()
    selected = []
    for tc in cases:
        why = skip_reason(tc)
        if why is None:
            selected.append(tc)
        else:
            skipped[why] += 1

    os.makedirs(args.out, exist_ok=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="certaudit-limbo-") as work:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {pool.submit(run_case, tc, args.certaudit, work): tc for tc in selected}
            for fut in concurrent.futures.as_completed(futures):
                results[futures[fut]["id"]] = fut.result()

    errors = [(tc["id"], results[tc["id"]]["error"]) for tc in selected if "error" in results[tc["id"]]]
    table = collections.Counter()
    wtable = collections.Counter()
    rows = []
    mismatches = []
    for tc in selected:
        res = results[tc["id"]]
        got = outcome(res)
        want = tc["expected_result"]
        table[(want, got == want)] += 1
        w = webpki.get(tc["id"], {})
        wgot = w.get("actual_result", "")
        if wgot:
            wtable[(want, wgot)] += 1
        leaf_note = "" if res.get("leaf") == 0 else f"certaudit's leaf is {res.get('leaf')}"
        row = {
            "id": tc["id"],
            "expected": want,
            "certaudit": got,
            "agrees": "yes" if got == want else "no",
            "status": res.get("status") or "",
            "reason": res.get("reason") or "",
            "detail": res.get("detail") or res.get("error") or "",
            "leaf": leaf_note,
            "features": " ".join(tc.get("features", [])),
            "importance": tc.get("importance", ""),
            "webpki": wgot,
            "webpki_context": (w.get("context") or "").replace("\n", " "),
        }
        rows.append(row)
        if got != want:
            mismatches.append(row)

    with open(os.path.join(args.out, "results.csv"), "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ["id"])
        wr.writeheader()
        wr.writerows(rows)

    lines = []
    total = len(cases)
    lines.append(f"cases in {os.path.basename(args.limbo)}: {total}; run: {len(selected)}; "
                 f"skipped: {total - len(selected)}")
    lines.append("")
    lines.append("| expected | run | certaudit agrees | certaudit disagrees |"
                 + (" webpki SUCCESS | webpki FAILURE | webpki SKIPPED |" if webpki else ""))
    lines.append("| --- | ---: | ---: | ---: |" + (" ---: | ---: | ---: |" if webpki else ""))
    for want in ("SUCCESS", "FAILURE"):
        ok, bad = table[(want, True)], table[(want, False)]
        line = f"| {want} | {ok + bad} | {ok} | {bad} |"
        if webpki:
            line += "".join(f" {wtable[(want, r)]} |" for r in ("SUCCESS", "FAILURE", "SKIPPED"))
        lines.append(line)
    lines.append("")
    lines.append("skipped, by reason:")
    for why, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"- {why}: {n}")
    lines.append("")
    danger = [r for r in mismatches if r["certaudit"] == "SUCCESS"]
    lines.append(f"certaudit trusted, limbo expects FAILURE: {len(danger)}")
    for r in danger:
        cls = known.get(r["id"], "NOT AN ARGUED EXCEPTION" if args.exceptions else "")
        lines.append(f"- {r['id']} [{r['features'] or 'no features'}] webpki: {r['webpki'] or '?'}"
                     + (f"; {cls}" if cls else ""))
    unlisted = [r["id"] for r in danger if args.exceptions and r["id"] not in known]
    ran = {tc["id"] for tc in selected}
    stale = sorted(i for i in known if i in ran and i not in {r["id"] for r in danger})
    lines.append("")
    strict = [r for r in mismatches if r["certaudit"] == "FAILURE"]
    lines.append(f"certaudit untrusted, limbo expects SUCCESS: {len(strict)}")
    for r in strict:
        note = f"; {r['leaf']}" if r["leaf"] else ""
        lines.append(f"- {r['id']}: {r['reason'] or r['status'] or 'no chain.trust'} "
                     f"({r['detail'][:120]}){note} webpki: {r['webpki'] or '?'}")
    if webpki:
        lines.append("")
        disagree = [r for r in rows if r["webpki"] in ("SUCCESS", "FAILURE")
                    and r["webpki"] != r["certaudit"]]
        lines.append(f"certaudit and rustls-webpki's harness disagree: {len(disagree)}")
        for r in disagree:
            lines.append(f"- {r['id']}: certaudit {r['certaudit']} ({r['reason'] or '-'}), "
                         f"webpki {r['webpki']} ({r['webpki_context'][:100] or '-'}), "
                         f"expected {r['expected']}")
    if errors:
        lines.append("")
        lines.append(f"could not run: {len(errors)}")
        for i, e in errors:
            lines.append(f"- {i}: {e}")
    if args.exceptions:
        lines.append("")
        lines.append(f"trusted-but-FAILURE cases not in {os.path.basename(args.exceptions)}: "
                     f"{len(unlisted)}")
        lines += [f"- {i}" for i in unlisted]
        if stale:
            lines.append(f"listed exceptions that now fail as limbo expects: {len(stale)}")
            lines += [f"- {i}" for i in stale]
    report = "\n".join(lines) + "\n"
    with open(os.path.join(args.out, "mismatches.md"), "w") as f:
        f.write(report)
    sys.stdout.write(report)
    if errors:
        return 2
    return 1 if unlisted else 0


if __name__ == "__main__":
    sys.exit(main())
