#!/bin/bash
# Issue 31's batch-scoring target (docs/reliability.md, "Batch scoring"): TEXTS generated short texts (1,000,000 by default) scored
# by one process and by 4 shard processes at 1 thread each; shard 3 is killed with SIGKILL once half its chunks are written and
# started again with the same command. Checks that the shards concatenate byte for byte to the single process's output, and
# prints each process's wall time and peak resident memory (GNU time).
#   usage: bench/scripts/batch-scoring.sh MODEL_DIR WORK_DIR [TEXTS] [ENGINE]
#   e.g.   bench/scripts/batch-scoring.sh model /tmp/scoring 1000000 int8
set -euo pipefail
MODEL=$(realpath "$1"); WORK=$2; TEXTS=${3:-1000000}; ENGINE=${4:-int8}
TYPEDBERT=${TYPEDBERT:-typedbert}   # or: TYPEDBERT="dotnet src/TypedBert.Cli/bin/Release/net10.0/TypedBert.Cli.dll"
export OMP_NUM_THREADS=1
mkdir -p "$WORK"; cd "$WORK"; rm -rf out; mkdir out
# 4 to 20 words from a small vocabulary, seeded: the same file on every machine.
python3 - "$TEXTS" <<'PY'
import json, random, sys
random.seed(31)
words = "the a film movie story cast plot warm funny dull long short brilliant awful charming slow quick sharp bland moving tender cold clever silly sweet dark bright honest".split()
with open("corpus.jsonl", "w") as f:
    for i in range(int(sys.argv[1])):
        f.write(json.dumps({"id": i, "text": " ".join(random.choice(words) for _ in range(random.randint(4, 20)))}) + "\n")
PY
score() { /usr/bin/time -v $TYPEDBERT predict --model "$MODEL" --engine "$ENGINE" --input corpus.jsonl "$@"; }
( score --output out/single.jsonl > out/single.log 2>&1 ) &
for i in 0 1 2; do ( score --output out/s$i.jsonl --shard $i/4 > out/s$i.log 2>&1 ) & done
$TYPEDBERT predict --model "$MODEL" --engine "$ENGINE" --input corpus.jsonl --output out/s3.jsonl --shard 3/4 > out/s3-killed.log 2>&1 &
KILLED=$!
CHUNKS=$(( (TEXTS + 1023) / 1024 )); SHARD3=$(( CHUNKS - CHUNKS * 3 / 4 ))   # shard I/N takes chunks [C*I/N, C*(I+1)/N)
until [ "$(ls out/s3.jsonl.parts 2>/dev/null | grep -c '^chunk-')" -ge $(( SHARD3 / 2 )) ]; do sleep 1; done
kill -9 $KILLED
echo "shard 3 killed with $(ls out/s3.jsonl.parts | grep -c '^chunk-') of $SHARD3 chunks written"
score --output out/s3.jsonl --shard 3/4 > out/s3.log 2>&1
grep resuming out/s3.log || true
wait
for f in out/single.log out/s0.log out/s1.log out/s2.log out/s3.log; do
  echo "$f: $(tr '\r' '\n' < $f | grep -E 'texts in' | tail -1); $(grep -E 'Elapsed|Maximum resident' $f | tr -s ' \t' ' ' | tr '\n' ';')"
done
cat out/s0.jsonl out/s1.jsonl out/s2.jsonl out/s3.jsonl | cmp - out/single.jsonl && echo "shards concatenated: byte for byte the single process's output"
