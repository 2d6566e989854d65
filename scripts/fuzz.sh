#!/usr/bin/env bash
# Runs one cargo-fuzz target for a given time and prints how many inputs it executed.
#
#   scripts/fuzz.sh TARGET SECONDS [LIBFUZZER_ARG]...
#
# TARGET is input_scan, cert_parse, check_pipeline, containers or render_names (fuzz/fuzz_targets/). The seed
# corpus is rebuilt from fixtures/ on every run into fuzz/corpus/TARGET (not
# committed; what the fuzzer finds there is kept between runs). One job, one core:
# run targets one after another. Limits: 512 MiB RSS and no single allocation over
# 512 MiB (-malloc_limit_mb), 5 s per input, so a runaway allocation or a hang is
# reported as a crash. Crashes go to fuzz/artifacts/TARGET/; copy them to
# fixtures/regress/ with a test in tests/integration/robust.rs.
#
# Builds with AddressSanitizer (which also detects leaks at exit) on the stable
# toolchain through RUSTC_BOOTSTRAP=1. SANITIZER=none builds without it (faster,
# but then -malloc_limit_mb is not enforced). Needs cargo-fuzz
# (`cargo install cargo-fuzz --locked`, done here when missing) and python3.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 TARGET SECONDS [LIBFUZZER_ARG]..." >&2
  echo "targets: input_scan cert_parse check_pipeline containers render_names" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

case "$target" in
  input_scan | check_pipeline | containers | render_names) max_len=${MAX_LEN:-16384} ;;
  cert_parse) max_len=${MAX_LEN:-8192} ;;
  *)
    echo "unknown target: $target (input_scan, cert_parse, check_pipeline, containers, render_names)" >&2
    exit 2
    ;;
esac

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

corpus=fuzz/corpus/$target
mkdir -p "$corpus" "fuzz/artifacts/$target"

# Seeds: every fixture as it is (text, DER, PKCS#7, s_client captures, pastes,
# malformed inputs, earlier crashes); for cert_parse, the DER of every
# certificate found in them instead.
python3 - "$target" "$corpus" <<'PY'
import base64, hashlib, os, re, sys

target, corpus = sys.argv[1], sys.argv[2]
block = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.S)

def files():
    for top in ("fixtures",):
        for dirpath, _, names in os.walk(top):
            for n in sorted(names):
                p = os.path.join(dirpath, n)
                if os.path.getsize(p) <= 65536:
                    yield p

def save(data):
    if data:
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(corpus, name), "wb") as f:
            f.write(data)

count = 0
for p in files():
    with open(p, "rb") as f:
        data = f.read()
    if target != "cert_parse":
        save(data)
        count += 1
        continue
    if p.endswith(".der") or ("/regress/" in p and not p.endswith(".md")):
        save(data)
        count += 1
    for m in block.finditer(data):
        if b"CERTIFICATE" not in m.group(1):
            continue
        body = b"".join(m.group(2).split())
        try:
            save(base64.b64decode(body, validate=False))
            count += 1
        except Exception:
            pass
print(f"seeded {count} inputs into {corpus}", file=sys.stderr)
PY

sanitizer=${SANITIZER:-address}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
log=fuzz/artifacts/$target/run-$stamp-$sanitizer.log
echo "fuzzing $target for ${seconds}s (sanitizer: $sanitizer, max_len $max_len, log: $log)" >&2
before=$(ls "fuzz/artifacts/$target" | grep -v '\.log$' | sort || true)
set +e
# Each sanitizer builds into its own folder, so switching does not rebuild the other.
# One process: do not pass -jobs/-workers (with them libFuzzer forks workers that
# log to ./fuzz-N.log instead).
# ASan keeps freed blocks in a quarantine (256 MB by default) that counts towards
# -rss_limit_mb: with a large corpus it alone pushed a run over the limit
# (fixtures/regress/check_pipeline-oom-harness-rss.bin). A smaller one still catches
# use-after-free; -malloc_limit_mb still catches any runaway allocation.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=64:detect_leaks=1}
RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz --sanitizer "$sanitizer" \
  --target-dir "fuzz/target/$sanitizer" "$target" "$corpus" -- \
  -max_total_time="$seconds" -rss_limit_mb=512 -malloc_limit_mb=512 -timeout=5 \
  -max_len="$max_len" -print_final_stats=1 "$@" 2>&1 | tee "$log" |
  grep -E '^(#[0-9]+.*(INITED|DONE)|==[0-9]+==|SUMMARY|Done|stat::|.*(panicked|deadly signal|timeout|out-of-memory|leak))'
status=${PIPESTATUS[0]}
set -e
cp "$log" "fuzz/artifacts/$target/last-run.log"
runs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}' | tail -1)
rate=$(grep -E '^stat::average_exec_per_sec:' "$log" | awk '{print $2}' | tail -1)
corp=$(grep -E '^#[0-9]+.*(DONE|INITED)' "$log" | tail -1 | grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' || true)
after=$(ls "fuzz/artifacts/$target" | grep -v '\.log$' | sort || true)
new=$(comm -13 <(echo "$before") <(echo "$after") | grep . || true)
count() { echo "$new" | grep -c "^$1-" || true; }
echo "target $target, sanitizer $sanitizer: ${runs:-?} executions in ${seconds}s" \
  "(${rate:-?} exec/s), ${corp:-corp: ?}, new crashes $(count crash)," \
  "timeouts $(count timeout), OOMs $(count oom), leaks $(count leak), exit $status"
echo "$new" | grep . | sed "s|^|artifact: fuzz/artifacts/$target/|" || true
exit "$status"
