#!/usr/bin/env bash
# The long fuzz run: AFL++ drives the fuzz target (Program.cs, FuzzTarget.cs) over an instrumented build of the decoder.
#
#   tests/CftSslTrace.Fuzz/fuzz.sh [-d DIR] [-j JOBS] [-n INPUTS] [-m MINUTES] [-t TIMEOUT_MS] [-c KIB] [-r | -s]
#
# -r resumes the campaign in DIR (AFL++ in-place resume: its corpus, findings and input count carry on) instead of
# starting afresh from the seeds; the harness is rebuilt from the current sources either way. -s only replays what the
# campaign in DIR kept and writes its summary. -c caps inputs at KIB KiB (AFL++'s own, with -G, and the field-aware
# mutants; default 128 and 64) and, with -r, sets the queue's larger inputs aside (DIR/set-aside.DATE, replayed in the
# summary): one input of 64 KiB takes as long as a hundred small ones.
#
# Needs: the .NET SDK, AFL++ (Debian: apt-get install afl++), SharpFuzz.CommandLine (dotnet tool install -g
# SharpFuzz.CommandLine). Runs JOBS afl-fuzz instances (one main, the others secondary; default: the cores) until INPUTS
# inputs in all (default 10,000,000) or MINUTES (default 600) have passed, and samples every 30 s the inputs done, the
# coverage, the findings and the memory of the target processes (DIR/monitor.csv). Then it replays every input AFL++
# kept (queue, crashes, hangs) without instrumentation and reports the slowest one and the peak memory, and writes
# DIR/summary.txt. An input slower than TIMEOUT_MS (default 1000) is a hang. Findings go to regressions/ once fixed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=/tmp/cftssltrace-fuzz; jobs=$(nproc); target=10000000; minutes=600; timeout=1000; resume=0; summary=0; cap=
while getopts "d:j:n:m:t:c:rs" o; do
  case $o in d) dir=$OPTARG;; j) jobs=$OPTARG;; n) target=$OPTARG;; m) minutes=$OPTARG;; t) timeout=$OPTARG;; c) cap=$OPTARG;; r) resume=1;; s) summary=1;; *) exit 2;; esac
done
aflmax=131072; mutantmax=65536; [ -n "$cap" ] && { aflmax=$((cap * 1024)); mutantmax=$((cap * 1024)); }
# a figure summed over the AFL++ instances
stat() { cat "$dir"/findings/*/fuzzer_stats 2>/dev/null | awk -v k="$1" '$1 == k { s += $3 } END { print s + 0 }'; }
start=$(date +%s)
if [ $summary = 1 ]; then
  [ -f "$dir/findings/main/fuzzer_stats" ] && [ -f "$dir/plain/CftSslTrace.Fuzz.dll" ] || { echo "no campaign in $dir" >&2; exit 1; }
  jobs=$(ls -d "$dir"/findings/*/ | wc -l)
else
export PATH="$PATH:$HOME/.dotnet/tools"
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found (apt-get install afl++)" >&2; exit 1; }
command -v sharpfuzz >/dev/null || { echo "sharpfuzz not found (dotnet tool install -g SharpFuzz.CommandLine)" >&2; exit 1; }
mkdir -p "$dir"; rm -rf "$dir/bin" "$dir/plain"
if [ $resume = 1 ]; then
  [ -f "$dir/findings/main/fuzzer_stats" ] || { echo "nothing to resume in $dir" >&2; exit 1; }
  seeds=-; export AFL_AUTORESUME=1
  if [ -n "$cap" ]; then
    aside="$dir/set-aside.$(date +%Y-%m-%d-%H:%M:%S)"
    for d in "$dir"/findings/*/; do
      mkdir -p "$aside/$(basename "$d")"
      find "$d"queue -maxdepth 1 -type f -name 'id:*' -size +"$aflmax"c -exec mv -t "$aside/$(basename "$d")" {} +
    done
    echo "set aside $(find "$aside" -type f | wc -l) queue inputs over $cap KiB in $aside"
  fi
else
  rm -rf "$dir/seeds" "$dir/findings"; seeds="$dir/seeds"
fi
# plain: the harness as built; bin: the same with the decoder instrumented for AFL++
dotnet publish "$here/CftSslTrace.Fuzz.csproj" -c Release -o "$dir/plain" -v quiet -nologo
cp -r "$dir/plain" "$dir/bin"
sharpfuzz "$dir/bin/CftSslTrace.Core.dll"
[ $resume = 1 ] || (cd "$here" && dotnet "$dir/plain/CftSslTrace.Fuzz.dll" seeds "$dir/seeds")
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SYNC_TIME=5
# AFL++ forgets across sessions which foreign inputs it has seen: the mutants of an earlier session go aside, as AFL++
# does with its crashes and hangs, so that a resumed main instance does not run them all again
[ -d "$dir/structured" ] && [ -n "$(ls -A "$dir/structured")" ] && mv "$dir/structured" "$dir/structured.$(date +%Y-%m-%d-%H:%M:%S)"
mkdir -p "$dir/structured"
pids=()
for j in $(seq 1 "$jobs"); do
  role="-S s$j"; [ "$j" = 1 ] && role="-M main -F $dir/structured"
  afl-fuzz -i "$seeds" -o "$dir/findings" -x "$here/cft.dict" -t "$timeout" -m none -G "$aflmax" $role -- dotnet "$dir/bin/CftSslTrace.Fuzz.dll" > "$dir/afl-$j.log" 2>&1 &
  pids+=($!)
done
# Field-aware mutations (Mutator.cs: dates, times, event words, CTX, counts, separators, hex groups, the ASCII column,
# line ends, lines dropped, repeated, swapped, interleaved) of AFL's queue, every 2 minutes, into DIR/structured, which
# the main instance imports from (-F, every AFL_SYNC_TIME minutes): an input that reaches new code joins the queue, where
# AFL++'s own mutations go on. Inputs are kept under 64 KiB (mutants) and 128 KiB (AFL++, -G): lines repeated and
# interleaved make inputs grow, and AFL++ keeps a larger input for its hit counts alone, which slowed a run from about
# 700 to under 150 inputs a second.
(
  round=0
  while sleep 120; do
    round=$((round + 1))
    (cd "$here" && nice dotnet "$dir/plain/CftSslTrace.Fuzz.dll" structured "$dir/findings/main/queue" "$dir/structured" 1000 "$((round * 7919 + $(date +%s) % 100000))" "$mutantmax" > /dev/null 2>&1) || true
  done
) &
mutants=$!
stop() { kill "${pids[@]}" $mutants 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT
[ $resume = 1 ] && [ -f "$dir/monitor.csv" ] || echo "seconds,inputs,execs_per_sec,coverage_percent,edges,crashes,hangs,target_rss_mb" > "$dir/monitor.csv"
while true; do
  sleep 30
  now=$(( $(date +%s) - start ))
  inputs=$(stat execs_done); eps=$(stat execs_per_sec); crashes=$(stat saved_crashes); hangs=$(stat saved_hangs)
  cov=$(awk '$1 == "bitmap_cvg" { print $3 }' "$dir/findings/main/fuzzer_stats" 2>/dev/null | tr -d '%'); edges=$(awk '$1 == "edges_found" { print $3 }' "$dir/findings/main/fuzzer_stats" 2>/dev/null)
  rss=$(ps -eo rss,args | awk '/CftSslTrace.Fuzz.dll/ && !/afl-fuzz/ && !/awk/ { s = s " " int($1 / 1024) } END { print s }')
  echo "$now,$inputs,$eps,${cov:-0},${edges:-0},$crashes,$hangs,${rss# }" >> "$dir/monitor.csv"
  echo "$(date +%T) ${now}s inputs=$inputs (${eps}/s) coverage=${cov:-0}% edges=${edges:-0} crashes=$crashes hangs=$hangs rss_mb=[${rss# }]"
  if [ "$inputs" -ge "$target" ] || [ "$now" -ge $(( minutes * 60 )) ]; then break; fi
  alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done; [ $alive = 1 ] || { echo "afl-fuzz stopped, see $dir/afl-*.log" >&2; break; }
done
stop; trap - EXIT
fi
# every input AFL++ kept, replayed without instrumentation: exceptions, slowest input, peak memory
afl=$(ls -d "$dir"/findings/*/)
# AFL++ moves the crashes and hangs of a resumed session to crashes.DATE and hangs.DATE: every session's count
found=$(for d in $afl; do ls -d "$d"crashes* "$d"hangs*; done)
queues=$(for d in $afl; do echo "$d"queue; done)
crashfiles=$(find $found -maxdepth 1 -path '*/crashes*' -type f -name 'id:*' | wc -l)
hangfiles=$(find $found -maxdepth 1 -path '*/hangs*' -type f -name 'id:*' | wc -l)
kept=$(find $queues $found -maxdepth 1 -type f -name 'id:*' | wc -l)
asides=$(ls -d "$dir"/set-aside.* 2>/dev/null || true)
asidefiles=$( (for a in $asides; do find "$a" -type f -name 'id:*'; done) | wc -l)
structured=$( (find "$dir" -maxdepth 2 -path "$dir/structured*" -type f -name 'id:*' 2>/dev/null || true) | wc -l)
imported=$(ls "$dir/findings/main/queue" | grep -c 'sync:foreign\|sync:structured' || true)
replay=$(dotnet "$dir/plain/CftSslTrace.Fuzz.dll" replay $queues $found $asides 2>&1 | tail -n 1 || true)
{
  echo "AFL++ $(afl-fuzz -h 2>&1 | grep -m1 -o '++[0-9.a-z]*' || true), $jobs jobs, $(( $(date +%s) - start )) s"
  echo "fuzzing time (main instance, resumed sessions included): $(awk '$1 == "run_time" { print $3 }' "$dir/findings/main/fuzzer_stats") s"
  echo "inputs: $(stat execs_done)"
  echo "coverage (main instance): $(awk '$1 == "bitmap_cvg" { print $3 }' "$dir/findings/main/fuzzer_stats") of the map, $(awk '$1 == "edges_found" { print $3 }' "$dir/findings/main/fuzzer_stats") edges"
  echo "corpus: $(stat corpus_count) inputs kept in all"
  echo "crashes (exceptions and findings) saved, every session: $crashfiles"
  echo "hangs (slower than $timeout ms) saved, every session: $hangfiles"
  # per sample, the largest fuzzed process (over 60 MB: the AFL++ forkservers are smaller); range, and peaks of the first and last quarter
  echo "target memory (RSS MB of the fuzzed processes, every 30 s): $(awk -F, 'NR > 1 && $8 != "" { n = split($8, r, " "); m = 0; for (i = 1; i <= n; i++) if (r[i] > 60) { if (!min || r[i] < min) min = r[i]; if (r[i] > m) m = r[i] } if (m) v[++k] = m }
    END { q = int(k / 4); if (q < 1) q = 1; for (i = 1; i <= k; i++) { if (v[i] > max) max = v[i]; if (i <= q && v[i] > a) a = v[i]; if (i > k - q && v[i] > b) b = v[i] }
          print "from " min " to " max " (first quarter of the samples: peak " a ", last quarter: peak " b ")" }' "$dir/monitor.csv")"
  echo "field-aware mutants written: $structured, taken into the queues by AFL++ (new coverage): $imported"
  echo "replay of the $kept kept inputs and $asidefiles set aside (-c) without instrumentation: $replay"
} | tee "$dir/summary.txt"
