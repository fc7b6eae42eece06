#!/usr/bin/env bash
# Restore (tar action: extract) throughput against GNU tar, measured in the same run, interleaved.
# Usage: bench/restore.sh [MB, default 400] [runs, default 3]. Needs zstd and GNU tar; builds the
# modules test classes. Prints one line per run and the medians; writes nothing outside $B.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MB="${1:-400}"; RUNS="${2:-3}"
B="${BENCH_DIR:-/tmp/ringplan-restore-bench}"
ID=0123456789abcdef0123456789abcdef
S="$B/data/ks/t-$ID/snapshots/bench"
rm -rf "$B"; mkdir -p "$S"
half=$(( MB / 2 / 10 ))
# Half incompressible (stands for LZ4-compressed Data.db), half CSV-like text (stands for the
# compressible components), ~10 MB files.
for i in $(seq 1 "$half"); do head -c 10000000 /dev/urandom > "$S/nb-$i-big-Data.db"; done
for i in $(seq $((half + 1)) $((2 * half))); do
  awk -v seed="$i" 'BEGIN{srand(seed); for(n=0;n<200000;n++) printf "%08d,user_%d,%s,%.4f,2026-11-%02d\n", n, int(rand()*100000), (rand()<0.5?"active":"inactive"), rand()*1000, 1+int(rand()*28)}' > "$S/nb-$i-big-Data.db"
done
cd "$ROOT"
mvn -B -q -pl modules -am -DskipTests package dependency:build-classpath -Dmdep.outputFile="$B/cp.txt" >/dev/null
CP="$ROOT/modules/target/test-classes:$ROOT/modules/target/classes:$ROOT/engine/target/classes:$ROOT/engine/target/test-classes:$(cat "$B/cp.txt")"
JAVA="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java"
run() { "$JAVA" -XX:+UseSerialGC -cp "$CP" dev.ringplan.modules.tar.RestoreBench "$B/data" bench "$B" "$@"; }
MANIFEST="$(run archive)"
ARCHIVE="${MANIFEST%.manifest.json}.tar.zst"
BYTES=$(du -cb "$S"/* | tail -1 | cut -f1)
echo "snapshot $BYTES bytes in $(ls "$S" | wc -l) files; archive $(stat -c %s "$ARCHIVE") bytes (zstd-1)"
rp=(); gt=(); gs=()
for r in $(seq 1 "$RUNS"); do
  sync
  read -r secs _ < <(run extract "$MANIFEST")
  rp+=("$secs")
  rm -rf "$B/gnu"; mkdir -p "$B/gnu"; sync
  t0=$(date +%s.%N)
  tar --use-compress-program='zstd -d' -xf "$ARCHIVE" -C "$B/gnu"
  sync
  t1=$(date +%s.%N)
  # The same work ringplan does: extract, then check every file's SHA-256 against the manifest.
  python3 - "$MANIFEST" "$B/gnu" > "$B/sums.txt" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for f in m["files"]:
    print(f"{f['sha256']}  {sys.argv[2]}/{f['path']}")
PY
  sha256sum --quiet -c "$B/sums.txt"
  t2=$(date +%s.%N)
  gt+=("$(echo "$t1 - $t0" | bc)"); gs+=("$(echo "$t2 - $t0" | bc)")
  echo "run $r: ringplan extract ${rp[-1]} s | GNU tar+zstd -x ${gt[-1]} s | GNU tar -x + sha256sum -c ${gs[-1]} s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mr=$(median "${rp[@]}"); mt=$(median "${gt[@]}"); ms=$(median "${gs[@]}")
echo "median: ringplan $mr s ($(echo "scale=1; $BYTES / $mr / 1000000" | bc) MB/s) | tar -x $mt s | tar -x + sha256sum $ms s"
echo "ratio ringplan / (tar -x + sha256sum -c): $(echo "scale=2; $mr / $ms" | bc); ringplan / tar -x: $(echo "scale=2; $mr / $mt" | bc)"
echo "100 GB at the ringplan median: $(echo "scale=1; 100000000000 / ($BYTES / $mr) / 60" | bc) min"
