#!/usr/bin/env bash
# certaudit beside its peers, on this machine, in one run (see BENCHMARKS.md).
#
#   bench/run.sh            # everything (about 5 minutes on 2 cores)
#   QUICK=1 bench/run.sh    # certaudit only: bundles, folder, scaling, start-up
#
# Not a test and never run by CI (.ci/run does not call it). It builds the release
# binary, generates the corpus when it is missing (bench/gen_corpus.py, deterministic;
# bench/corpus/ is git-ignored), installs the peers it can (hyperfine, GNU time,
# GnuTLS certtool through apt-get when run as root) and skips those it cannot, then
# prints a table with the ratios.
#
# Settings (environment): RUNS (timed runs of certaudit per figure, the median is
# kept; default 5), PEER_RUNS (of each peer; default 1: they take seconds each),
# X509_FILES (files in the `openssl x509` shell loop; default 200), AT (the fixed
# evaluation time given to certaudit; default 2026-01-01), BASELINE (another
# certaudit binary, e.g. an older commit's, timed beside this one for before/after).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=$ROOT/bench/corpus
BIN=$ROOT/target/release/certaudit
RUNS=${RUNS:-5}
PEER_RUNS=${PEER_RUNS:-1}
X509_FILES=${X509_FILES:-200}
AT=${AT:-2026-01-01}
QUICK=${QUICK:-}

say() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
have() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
    [ "$(id -u)" = 0 ] && have apt-get || return 1
    if [ -z "${APT_UPDATED:-}" ]; then
        apt-get update -qq >/dev/null 2>&1 || true
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}
[ -x /usr/bin/time ] || apt_install time || say "GNU time missing: no peak memory figures"
have hyperfine || apt_install hyperfine || cargo install hyperfine --locked >/dev/null 2>&1 ||
    say "hyperfine missing: no start-up figures"
if [ -z "$QUICK" ]; then
    have certtool || apt_install gnutls-bin || say "certtool missing: GnuTLS skipped"
fi

say "building the release binary"
cargo build --release --locked --quiet

# ---------------------------------------------------------------- corpus
if [ ! -f "$CORPUS/bundle-100k.pem" ] || [ ! -d "$CORPUS/der-10k" ] || [ ! -f "$CORPUS/chain3.pem" ]; then
    say "generating the corpus (100,000 certificates and 10,000 DER files; a few minutes)"
    python3 bench/gen_corpus.py --count 100000 --der 10000 --out "$CORPUS"
fi
if [ ! -f "$CORPUS/bundle-10k.pem" ]; then
    # The first 10,000 certificates of the 100k bundle (any size is a prefix).
    awk '/-----BEGIN/{n++} n>10000{exit} {print}' "$CORPUS/bundle-100k.pem" >"$CORPUS/bundle-10k.pem"
fi
if [ ! -f "$CORPUS/bundle-1m.pem" ]; then
    # 1,000,000 certificates: ten copies of the 100k bundle (generating a million
    # distinct certificates in Python takes over half an hour on 2 cores).
    say "writing bundle-1m.pem (10 copies of bundle-100k.pem)"
    for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$CORPUS/bundle-100k.pem"; done >"$CORPUS/bundle-1m.pem.tmp"
    mv "$CORPUS/bundle-1m.pem.tmp" "$CORPUS/bundle-1m.pem"
fi
B100K=$CORPUS/bundle-100k.pem
CHAIN=$CORPUS/chain3.pem
DER=$CORPUS/der-10k

# ---------------------------------------------------------------- timing
# measure RUNS CMD...: runs CMD (stdout to /dev/null) RUNS times; prints
# "median_seconds peak_rss_kib" (wall time from bash's clock around GNU time, which
# adds about a millisecond; the largest peak of the runs).
measure() {
    local runs=$1
    shift
    local times=() peak=0 rss s e tmp
    tmp=$(mktemp)
    for _ in $(seq "$runs"); do
        s=$EPOCHREALTIME
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -o "$tmp" -f '%M' "$@" >/dev/null 2>/dev/null || true
        else
            "$@" >/dev/null 2>/dev/null || true
        fi
        e=$EPOCHREALTIME
        times+=("$(awk -v a="$s" -v b="$e" 'BEGIN {printf "%.6f", b - a}')")
        rss=$(tail -1 "$tmp" 2>/dev/null || true)
        if [[ "$rss" =~ ^[0-9]+$ ]] && [ "$rss" -gt "$peak" ]; then peak=$rss; fi
    done
    rm -f "$tmp"
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "$median $peak"
}

RESULTS=()
# row LABEL ITEMS CMD...: measures and records "label|items|seconds|rss".
row() {
    local label=$1 items=$2 runs=$3
    shift 3
    say "  $label"
    local m
    m=$(measure "$runs" "$@")
    RESULTS+=("$label|$items|${m% *}|${m#* }")
}

say "1. 100,000-certificate PEM bundle ($(du -m "$B100K" | cut -f1) MB), full job"
row "certaudit check --bundle --format json" 100000 "$RUNS" \
    "$BIN" check --bundle --format json --at "$AT" "$B100K"
if [ -n "${BASELINE:-}" ]; then
    row "baseline certaudit check --bundle --format json" 100000 "$RUNS" \
        "$BASELINE" check --bundle --format json --at "$AT" "$B100K"
fi
if [ -z "$QUICK" ]; then
    row "python3 cryptography (bench/peer_python.py)" 100000 "$PEER_RUNS" \
        python3 bench/peer_python.py "$B100K"
    if have certtool; then
        row "certtool --certificate-info" 100000 "$PEER_RUNS" \
            certtool --certificate-info --infile "$B100K"
    fi
    row "openssl storeutl -noout -text -certs (no fingerprints)" 100000 "$PEER_RUNS" \
        openssl storeutl -noout -text -certs "$B100K"
fi

say "2. a folder of 10,000 DER files"
row "certaudit check --bundle --format json DIR" 10000 "$RUNS" \
    "$BIN" check --bundle --format json --at "$AT" "$DER"
if [ -n "${BASELINE:-}" ]; then
    row "baseline certaudit check --bundle --format json DIR" 10000 "$RUNS" \
        "$BASELINE" check --bundle --format json --at "$AT" "$DER"
fi
if [ -z "$QUICK" ]; then
    row "python3 cryptography, DIR" 10000 "$PEER_RUNS" python3 bench/peer_python.py "$DER"
    X509_DIR=$(mktemp -d)
    copied=0
    for f in "$DER"/*; do # the first X509_FILES files, in sorted order
        [ "$copied" -lt "$X509_FILES" ] || break
        cp "$f" "$X509_DIR/"
        copied=$((copied + 1))
    done
    # Two openssl runs a file: OpenSSL 3.0 prints only the last -fingerprint asked for.
    x509_loop() {
        for f in "$1"/*; do
            openssl x509 -inform DER -in "$f" -noout -fingerprint -sha1
            openssl x509 -inform DER -in "$f" -noout -fingerprint -sha256 -serial -subject -issuer -dates
        done
    }
    export -f x509_loop
    row "shell loop of openssl x509 ($X509_FILES files)" "$X509_FILES" "$PEER_RUNS" \
        bash -c 'x509_loop "$0"' "$X509_DIR"
    rm -rf "$X509_DIR"
fi

say "3. scaling (certaudit check --bundle --format json)"
row "certaudit, 10k bundle" 10000 "$RUNS" "$BIN" check --bundle --format json --at "$AT" "$CORPUS/bundle-10k.pem"
row "certaudit, 100k bundle" 100000 "$RUNS" "$BIN" check --bundle --format json --at "$AT" "$B100K"
row "certaudit, 1M bundle" 1000000 3 "$BIN" check --bundle --format json --at "$AT" "$CORPUS/bundle-1m.pem"

# inventory: the 100k bundle (beside check --bundle and the peers above), then
# distinct certificates at 10k/100k/1M (bench/distinct_copies.py: copies of the
# 10k bundle with other serials, every one another SHA-256), and the 1M bundle of
# ten copies (100k distinct, every one found 10 times).
say "4. inventory"
row "certaudit inventory --format jsonl" 100000 "$RUNS" "$BIN" inventory --format jsonl --at "$AT" "$B100K"
row "certaudit inventory --format json" 100000 "$RUNS" "$BIN" inventory --format json --at "$AT" "$B100K"
row "certaudit inventory --format openmetrics" 100000 "$RUNS" "$BIN" inventory --format openmetrics --at "$AT" "$B100K"
row "certaudit inventory DIR (text)" 10000 "$RUNS" "$BIN" inventory --at "$AT" "$DER"
for n in 100k 1m; do
    f=$CORPUS/bundle-$n-distinct.pem
    if [ ! -f "$f" ]; then
        say "writing bundle-$n-distinct.pem"
        copies=$([ "$n" = 100k ] && echo 10 || echo 100)
        python3 bench/distinct_copies.py "$CORPUS/bundle-10k.pem" "$copies" >"$f.tmp" && mv "$f.tmp" "$f"
    fi
done
row "certaudit inventory --format json, 10k distinct" 10000 "$RUNS" "$BIN" inventory --format json --at "$AT" "$CORPUS/bundle-10k.pem"
row "certaudit inventory --format json, 100k distinct" 100000 "$RUNS" "$BIN" inventory --format json --at "$AT" "$CORPUS/bundle-100k-distinct.pem"
row "certaudit inventory --format json, 1M distinct" 1000000 3 "$BIN" inventory --format json --at "$AT" "$CORPUS/bundle-1m-distinct.pem"
row "certaudit inventory --format json, 1M (100k distinct x10)" 1000000 3 "$BIN" inventory --format json --at "$AT" "$CORPUS/bundle-1m.pem"

# ---------------------------------------------------------------- report
printf '\n%-58s %10s %9s %12s %9s\n' "what" "items" "seconds" "items/s" "peak MiB"
CA_RATE=
for r in "${RESULTS[@]}"; do
    IFS='|' read -r label items secs rss <<<"$r"
    awk -v l="$label" -v n="$items" -v t="$secs" -v m="$rss" \
        'BEGIN {printf "%-58s %10d %9.3f %12.0f %9.1f\n", l, n, t, n / t, m / 1024}'
done

ratio() { # ratio LABEL_A LABEL_B: how many times faster A is than B (items/s)
    local a b
    a=$(printf '%s\n' "${RESULTS[@]}" | awk -F'|' -v l="$1" '$1==l {print $2/$3}')
    b=$(printf '%s\n' "${RESULTS[@]}" | awk -F'|' -v l="$2" '$1==l {print $2/$3}')
    [ -n "$a" ] && [ -n "$b" ] && awk -v l="vs $2" -v a="$a" -v b="$b" 'BEGIN {printf "  %-56s %8.1fx\n", l, a / b}'
}
if [ -n "${BASELINE:-}" ]; then
    echo
    echo "this certaudit against BASELINE, how many times as fast:"
    ratio "certaudit check --bundle --format json" "baseline certaudit check --bundle --format json" || true
    ratio "certaudit check --bundle --format json DIR" "baseline certaudit check --bundle --format json DIR" || true
fi
if [ -z "$QUICK" ]; then
    echo
    echo "certaudit check --bundle --format json (100k bundle), certificates/s, how many times:"
    ratio "certaudit check --bundle --format json" "python3 cryptography (bench/peer_python.py)" || true
    ratio "certaudit check --bundle --format json" "certtool --certificate-info" || true
    ratio "certaudit check --bundle --format json" "openssl storeutl -noout -text -certs (no fingerprints)" || true
    echo "certaudit inventory --format json (100k bundle), certificates/s, how many times:"
    ratio "certaudit inventory --format json" "python3 cryptography (bench/peer_python.py)" || true
    ratio "certaudit inventory --format json" "openssl storeutl -noout -text -certs (no fingerprints)" || true
    ratio "certaudit inventory --format json" "certaudit check --bundle --format json" || true
    echo "certaudit on the 10,000 DER files, files/s, how many times:"
    ratio "certaudit check --bundle --format json DIR" "python3 cryptography, DIR" || true
    ratio "certaudit check --bundle --format json DIR" "shell loop of openssl x509 ($X509_FILES files)" || true
fi

# ---------------------------------------------------------------- start-up
if have hyperfine; then
    echo
    echo "4. one 3-certificate chain ($CHAIN), whole process (hyperfine, median):"
    # Relative paths (the working directory is the repository): shorter labels.
    bin=${BIN#"$ROOT"/}
    chain=${CHAIN#"$ROOT"/}
    cmds=("$bin check --at $AT $chain" "$bin check --format json --at $AT $chain" "$bin thumbprint --at $AT $chain" "sha256sum $chain")
    [ -n "${BASELINE:-}" ] && cmds+=("$BASELINE check --at $AT $chain")
    if [ -z "$QUICK" ]; then
        have certtool && cmds+=("certtool --certificate-info --infile $chain")
        cmds+=("openssl x509 -in $chain -noout -fingerprint -sha256 -serial -subject -issuer -dates")
        cmds+=("python3 bench/peer_python.py $chain")
    fi
    json=$(mktemp)
    hyperfine -N --warmup 20 --min-runs 100 --export-json "$json" "${cmds[@]}" >/dev/null 2>&1 ||
        hyperfine --warmup 20 --min-runs 100 --export-json "$json" "${cmds[@]}" >/dev/null 2>&1
    python3 - "$json" <<'EOF'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
base = next(r["median"] for r in runs if r["command"].startswith("sha256sum"))
for r in runs:
    print(f"  {r['command'][:90]:<90} {r['median'] * 1000:7.2f} ms  {r['median'] / base:5.2f}x sha256sum")
EOF
    rm -f "$json"
fi
[ -f /tmp/certaudit-fuzz.running ] && echo "note: /tmp/certaudit-fuzz.running exists: a fuzzer was using one core during this run"
exit 0
