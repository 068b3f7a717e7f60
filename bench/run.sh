#!/usr/bin/env bash
# Benchmarks of issue "spine", item 8: seal and open throughput of thbx
# against the age CLI of the version go.mod pins, on the same 256 MiB of
# victims records, and the peak RSS of the hub ingesting a 1 GiB
# submission in a process of its own. Results go to stdout and to
# bench/out/results.md; everything it makes stays in bench/out/.
#
# usage: bench/run.sh            (from anywhere; takes about 4 minutes)
#   PAYLOAD_SIZE=16MiB INGEST_SIZE=16MiB bench/run.sh   for a quick run
#   KEEP_WORLD=1 bench/run.sh      keeps bench/out/world (3.6 GB) for a look
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=bench/out
BIN=$OUT/bin
PAYLOAD_SIZE=${PAYLOAD_SIZE:-256MiB}
INGEST_SIZE=${INGEST_SIZE:-1GiB}
RSS_TARGET_MIB=128
mkdir -p "$BIN"

log() { echo "run.sh: $*" >&2; }

# The reference: the age CLI at the version thbx links.
AGE_VERSION=$(go list -m -f '{{.Version}}' filippo.io/age)
if [[ "$("$BIN/age" --version 2>/dev/null || true)" != "$AGE_VERSION" ]]; then
	log "installing the age CLI $AGE_VERSION into $BIN"
	GOBIN="$PWD/$BIN" go install "filippo.io/age/cmd/...@$AGE_VERSION"
fi
AGE=$BIN/age

# GNU time reports the peak RSS of the ingest process from outside it.
GNU_TIME=/usr/bin/time
if [[ ! -x $GNU_TIME ]]; then
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		log "installing the Debian package time"
		apt-get update -qq && apt-get install -y -qq time >/dev/null
	else
		log "no $GNU_TIME and cannot install it; only the program's own getrusage figure will be shown"
		GNU_TIME=
	fi
fi

log "building thbxbench"
go build -o "$BIN/thbxbench" ./bench/cmd/thbxbench
TB=$BIN/thbxbench

# field NAME: the value of NAME=value in the line on stdin.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }

# best_of_3 OUTPUT CMD...: runs CMD three times, removing OUTPUT (a
# file, or - for none) before each run, and prints the best wall time in
# seconds.
best_of_3() {
	local out=$1 best="" t0 t1
	shift
	for _ in 1 2 3; do
		[[ $out == - ]] || rm -f "$out"
		t0=$EPOCHREALTIME
		"$@" >/dev/null
		t1=$EPOCHREALTIME
		best=$(awk -v a="$t0" -v b="$t1" -v best="$best" \
			'BEGIN { d = b - a; if (best == "" || d < best) best = d; printf "%.3f", best }')
	done
	echo "$best"
}

# mbps BYTES SECONDS; ratio A B
mbps() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", n / s / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

log "generating $PAYLOAD_SIZE of records"
PAYLOAD=$OUT/payload.jsonl
PLAIN_BYTES=$("$TB" gen -o "$PAYLOAD" -size "$PAYLOAD_SIZE" | field bytes)
RECORDS=$(wc -l <"$PAYLOAD")

rm -rf "$OUT/hub"
RECIPIENT=$("$TB" hub -dir "$OUT/hub")
IDENTITY=$OUT/hub/hub-identities.txt

log "seal: thbx, then age -e (best of 3 each)"
SEAL_THBX=$(best_of_3 "$OUT/thbx.age" "$TB" seal -hub "$OUT/hub" -in "$PAYLOAD" -o "$OUT/thbx.age")
SEAL_AGE=$(best_of_3 "$OUT/age.age" "$AGE" -e -r "$RECIPIENT" -o "$OUT/age.age" "$PAYLOAD")

log "open: thbx, then age -d (best of 3 each)"
OPEN_THBX=$(best_of_3 - "$TB" open -hub "$OUT/hub" -in "$OUT/thbx.age")
OPEN_AGE=$(best_of_3 - "$AGE" -d -i "$IDENTITY" -o /dev/null "$OUT/age.age")

# Not timed: thbx's ciphertext is plain age, so the CLI opens it to the
# payload header line followed by the very bytes sealed.
"$AGE" -d -i "$IDENTITY" "$OUT/thbx.age" | tail -n +2 | cmp -s - "$PAYLOAD" ||
	{ log "the age CLI does not open thbx's ciphertext to the payload"; exit 1; }

log "ingest: sealing $INGEST_SIZE through the agent into a demo world (not timed)"
WORLD=$OUT/world
rm -rf "$WORLD"
WORLD_LINE=$("$TB" world -dir "$WORLD" -size "$INGEST_SIZE")
echo "$WORLD_LINE" >&2

log "ingest: one hub poll in its own process"
INGEST_CMD=("$TB" ingest -world "$WORLD" -memprofile "$OUT/ingest-allocs.pprof")
if [[ -n $GNU_TIME ]]; then
	INGEST_LINE=$("$GNU_TIME" -v -o "$OUT/ingest-time.txt" "${INGEST_CMD[@]}" 2>"$OUT/ingest.log")
	TIME_RSS_KIB=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/ingest-time.txt")
else
	INGEST_LINE=$("${INGEST_CMD[@]}" 2>"$OUT/ingest.log")
	TIME_RSS_KIB=
fi
echo "$INGEST_LINE" >&2
# The world holds three copies of the submission; keep it only on request.
[[ ${KEEP_WORLD:-} == 1 ]] || rm -rf "$WORLD"
read -r ING_RECORDS ING_CT ING_S ING_STORE_S RUSAGE_KIB SAMPLED_KIB ANON_KIB GO_KIB FILE_KIB WAL_BYTES < <(
	for f in records ciphertext_bytes seconds store_seconds maxrss_kib sampled_rss_kib anon_kib go_kib file_kib wal_bytes; do
		field "$f" <<<"$INGEST_LINE"
	done | xargs)

mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
PEAK_KIB=${TIME_RSS_KIB:-$RUSAGE_KIB}
TIME_RSS=n/a
[[ -z $TIME_RSS_KIB ]] || TIME_RSS=$(mib "$TIME_RSS_KIB")
VERDICT=$(awk -v k="$PEAK_KIB" -v t="$RSS_TARGET_MIB" 'BEGIN { print (k / 1024 < t) ? "under target" : "OVER TARGET" }')

SEAL_THBX_MBPS=$(mbps "$PLAIN_BYTES" "$SEAL_THBX")
SEAL_AGE_MBPS=$(mbps "$PLAIN_BYTES" "$SEAL_AGE")
OPEN_THBX_MBPS=$(mbps "$PLAIN_BYTES" "$OPEN_THBX")
OPEN_AGE_MBPS=$(mbps "$PLAIN_BYTES" "$OPEN_AGE")

{
	cat <<EOF
# thbx benchmarks ($(date -u +%Y-%m-%dT%H:%MZ))

Machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(go version | cut -d' ' -f3-);
thbx $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' (modified tree)'); age CLI $AGE_VERSION.
Payload: $PLAIN_BYTES bytes, $RECORDS victims/1 records (JSON lines), one hybrid (age1pq1) recipient.
Load average before the run $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows
every figure below and, through longer GC cycles, raises the ingest's peak RSS).
MB/s are 10^6 bytes of plaintext per second of wall time, whole process, best of 3.

| measure | thbx | age CLI | thbx/age |
|---|---:|---:|---:|
| seal (MB/s) | $SEAL_THBX_MBPS ($SEAL_THBX s) | $SEAL_AGE_MBPS ($SEAL_AGE s) | $(ratio "$SEAL_THBX_MBPS" "$SEAL_AGE_MBPS") |
| open (MB/s) | $OPEN_THBX_MBPS ($OPEN_THBX s) | $OPEN_AGE_MBPS ($OPEN_AGE s) | $(ratio "$OPEN_THBX_MBPS" "$OPEN_AGE_MBPS") |

Hub ingest of one $ING_CT-byte submission ($ING_RECORDS records), one poll in its own process:

| measure | value |
|---|---:|
| peak RSS, /usr/bin/time -v | $TIME_RSS |
| peak RSS, getrusage Maxrss | $(mib "$RUSAGE_KIB") |
| highest sampled RSS (every 100 ms) | $(mib "$SAMPLED_KIB"): anonymous $(mib "$ANON_KIB") (Go runtime $(mib "$GO_KIB")), file-backed $(mib "$FILE_KIB") |
| target | < $RSS_TARGET_MIB MiB: $VERDICT |
| poll, wall | $ING_S s |
| ciphertext throughput (whole poll) | $(mbps "$ING_CT" "$ING_S") MB/s |
| records/s (whole poll) | $(awk -v n="$ING_RECORDS" -v s="$ING_S" 'BEGIN { printf "%.0f", n / s }') |
| open + store, until commit | $ING_STORE_S s, $(mbps "$ING_CT" "$ING_STORE_S") MB/s |
| peak WAL size | $(awk -v b="$WAL_BYTES" 'BEGIN { printf "%.0f", b / 1048576 }') MiB |
EOF
} | tee "$OUT/results.md"
