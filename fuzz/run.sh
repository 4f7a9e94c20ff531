#!/usr/bin/env bash
# Builds the fuzz harnesses, instruments the firmware assemblies with SharpFuzz and runs AFL++ on one
# harness for a bounded time, seeded with the committed corpus. See fuzz/README.md.
#
#   fuzz/run.sh <harness> <duration> [--merge]
#
#   <harness>   a name from `fuzz/run.sh list` (atr, t1, apdu, pin, pseudo, sm, cardaccess, card,
#               sim-apdu, sim-line, host)
#   <duration>  minutes (2, 0.5) or seconds with an s suffix (20s)
#   --merge     afterwards, copy the new inputs AFL++ kept (its queue, without the seeds) into
#               fuzz/corpus/<harness>/ (small ones only), for committing
#
# Prints a summary line `fuzz <harness>: N execs (N/s), N paths, N edges, N crashes, N hangs` and
# exits 1 when AFL++ saved a crash or a hang (the inputs are replayed and left in
# fuzz/out/<harness>/findings/default/{crashes,hangs}), 2 on a usage or setup error.
# Environment: FUZZ_TIMEOUT_MS (per-execution limit for AFL++, default 10000), AFL_* as AFL++ reads them.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/out"
sharpfuzz_version=2.3.0

usage() {
    sed -n '5,16p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

if [ "${1:-}" = "list" ]; then
    set -- list
elif [ $# -lt 2 ]; then
    usage
fi
harness="$1"
duration="${2:-0}"
merge=0
[ "${3:-}" = "--merge" ] && merge=1

case "$duration" in
    *s) seconds="${duration%s}" ;;
    *) seconds=$(awk -v m="$duration" 'BEGIN { printf "%d", m * 60 }') ;;
esac
if [ "$harness" != "list" ] && ! [ "$seconds" -gt 0 ] 2>/dev/null; then
    echo "run.sh: bad duration '$duration'" >&2
    usage
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$out"

# --- tools -------------------------------------------------------------------------------------
if ! command -v afl-fuzz >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "== installing afl++" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >&2 \
            || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >&2; } \
            || { echo "run.sh: cannot install afl++" >&2; exit 2; }
    else
        echo "run.sh: afl-fuzz not found (Debian package afl++)" >&2
        exit 2
    fi
fi
sharpfuzz="$out/tools/sharpfuzz"
if [ ! -x "$sharpfuzz" ]; then
    echo "== installing SharpFuzz.CommandLine $sharpfuzz_version" >&2
    dotnet tool install SharpFuzz.CommandLine --version "$sharpfuzz_version" --tool-path "$out/tools" >&2 \
        || { echo "run.sh: cannot install SharpFuzz.CommandLine" >&2; exit 2; }
fi

# --- build and instrument (once per change of the assemblies; serialised between concurrent runs) ----
targets="Terminal.Iso7816.dll terminal.dll Terminal.Simulator.dll"
exec 9>"$out/.build.lock"
flock 9
echo "== building the harnesses (Release)" >&2
dotnet publish "$here/Terminal.Fuzz/Terminal.Fuzz.csproj" -c Release -o "$out/publish" -nologo -v quiet >&2 \
    || { echo "run.sh: build failed" >&2; exit 2; }
stamp=$(cd "$out/publish" && sha256sum $targets Terminal.Fuzz.dll | sha256sum | cut -c1-16)
if [ "$(cat "$out/bin/.stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$out/bin"
    cp -r "$out/publish" "$out/bin"
    for dll in $targets; do
        echo "== instrumenting $dll" >&2
        "$sharpfuzz" "$out/bin/$dll" >&2 || { echo "run.sh: instrumenting $dll failed" >&2; exit 2; }
    done
    echo "$stamp" > "$out/bin/.stamp"
fi
flock -u 9
exec 9>&-

if [ "$harness" = "list" ]; then
    dotnet "$out/bin/Terminal.Fuzz.dll" list
    exit 0
fi
if ! dotnet "$out/bin/Terminal.Fuzz.dll" list | awk '{print $1}' | grep -qx "$harness"; then
    echo "run.sh: no harness '$harness'; harnesses:" >&2
    dotnet "$out/bin/Terminal.Fuzz.dll" list >&2
    exit 2
fi

# --- seeds: the committed corpus (AFL++ wants at least one input) ----------------------------------
corpus="$here/corpus/$harness"
seeds="$out/$harness/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"
if [ -d "$corpus" ] && [ -n "$(ls -A "$corpus" 2>/dev/null)" ]; then
    cp "$corpus"/* "$seeds"/
else
    printf '\0' > "$seeds/empty"
fi

# --- fuzz ------------------------------------------------------------------------------------
findings="$out/$harness/findings"
rm -rf "$findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT="${AFL_FORKSRV_INIT_TMOUT:-60000}" AFL_SKIP_CRASHES=1
export AFL_IMPORT_FIRST=1 AFL_NO_WARN_INSTABILITY=1
echo "== afl-fuzz $harness for ${seconds}s" >&2
log="$out/$harness/afl.log"
set +e
for attempt in 1 2 3; do
    afl-fuzz -i "$seeds" -o "$findings" -t "${FUZZ_TIMEOUT_MS:-10000}" -m none -V "$seconds" \
        -- dotnet "$out/bin/Terminal.Fuzz.dll" "$harness" > "$log" 2>&1
    status=$?
    # On a loaded machine the dry run of the first seed has been seen to report an empty coverage map
    # ("No instrumentation detected") although the same build runs fine the next time: try up to 3 times.
    if [ "$attempt" != 3 ] && [ ! -f "$findings/default/fuzzer_stats" ] && grep -q "No instrumentation detected" "$log"; then
        echo "run.sh: afl-fuzz saw no instrumentation in its dry run (attempt $attempt); retrying" >&2
        rm -rf "$findings"
        sleep 2
        continue
    fi
    break
done
set -e
stats="$findings/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
    echo "run.sh: afl-fuzz did not start (exit $status); last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 2
fi

field() { awk -F: -v k="$1" '{ gsub(/ /, "", $1); if ($1 == k) { gsub(/^ +| +$/, "", $2); print $2 } }' "$stats"; }
execs=$(field execs_done)
rate=$(field execs_per_sec)
paths=$(field corpus_count)
edges=$(field edges_found)
total_edges=$(field total_edges)
coverage=$(field bitmap_cvg)
crashes=$(field saved_crashes)
hangs=$(field saved_hangs)
run_time=$(field run_time)
stability=$(field stability)
echo "fuzz $harness: ${execs:-0} execs in ${run_time:-0}s (${rate:-0}/s), ${paths:-0} paths, ${edges:-0} edges (map ${coverage:-?}), stability ${stability:-?}, ${crashes:-0} crashes, ${hangs:-0} hangs"

if [ "$merge" = 1 ]; then
    added=0
    for f in "$findings"/default/queue/id:*; do
        [ -f "$f" ] || continue
        case "$f" in *orig:*) continue ;; esac
        size=$(stat -c %s "$f" 2>/dev/null || wc -c < "$f")
        [ "$size" -le 2048 ] || continue
        # The corpus stays small (a test checks 400 files a harness): shrink it with afl-cmin past that.
        [ "$(ls "$corpus" 2>/dev/null | wc -l)" -lt 390 ] || break
        sum=$(sha256sum "$f" | cut -c1-12)
        name="afl-$sum"
        if [ ! -e "$corpus/$name" ]; then
            mkdir -p "$corpus"
            cp "$f" "$corpus/$name"
            added=$((added + 1))
        fi
    done
    echo "merged $added new inputs into fuzz/corpus/$harness" >&2
fi

found=0
for kind in crashes hangs; do
    for f in "$findings"/default/$kind/id:*; do
        [ -f "$f" ] || continue
        found=1
        echo "-- $kind: $f" >&2
        od -An -tx1 -v "$f" | head -n 8 >&2
        dotnet "$out/publish/Terminal.Fuzz.dll" "$harness" "$f" 2>&1 | head -n 12 >&2 || true
    done
done
[ "$found" = 0 ]
