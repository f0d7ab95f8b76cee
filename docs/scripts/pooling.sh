#!/usr/bin/env bash
# Compares the pooling strategies of a new head on the embedded MiniLM, on a small SST-2 slice:
# 200 training sentences of at least 6 words, scored on the first 200 rows of the GLUE validation set.
# Usage: docs/scripts/pooling.sh [path to shared/data]   (run from the repository root)
set -euo pipefail
data=${1:-../shared/data}
work=$(mktemp -d)
awk -F'\t' 'NR == 1 || (split($1, words, " ") >= 6 && taken++ < 200)' "$data/sst2/train.tsv" > "$work/train.tsv"
head -n 201 "$data/sst2/test.tsv" > "$work/heldout.tsv"
dotnet build src/TypedBert.Cli -c Release -v q -nologo > /dev/null
for pooling in Mean Pooler Cls; do
  src/TypedBert.Cli/bin/Release/net10.0/TypedBert.Cli train --data "$work/train.tsv" --eval "$work/heldout.tsv" --text-column sentence \
    --output "$work/model-$pooling" --pooling "$pooling" --epochs 3 --batch-size 16 --learning-rate 1e-4 --warmup-ratio 0.1 \
    --labels 0,1 --json "$work/$pooling.json" > /dev/null 2>&1
  python3 -c "import json,sys; r=json.load(open('$work/$pooling.json')); e=r['epochs'][-1]['eval']; print(f'$pooling: held-out accuracy after epoch 3: {e[\"accuracy\"]*100:.1f} %')"
done
rm -rf "$work"
