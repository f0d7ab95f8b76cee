#!/usr/bin/env bash
# Mutation testing of the numeric and decision core with Stryker.NET (the tool's version is pinned in .config/dotnet-tools.json).
# Not part of CI: it builds the mutated library and reruns the covering tests once per mutant (see docs/testing.md for the time it took).
#   bash eng/mutation-test.sh            # the whole scope of stryker-config.json
#   bash eng/mutation-test.sh --mutate '**/Training/BatchSampler.cs'   # any extra Stryker option, e.g. one file
#   STRYKER_CONFIG=stryker-config.labels.json bash eng/mutation-test.sh   # another scope: the problem strategies, labels and samplers
#     with only their fast oracle tests (on a loaded 2-core machine the whole scope takes well over an hour; see docs/testing.md)
# The report: StrykerOutput/<date>/reports/mutation-report.html and .json under tests/TypedBert.Tests (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "eng/mutation-test.sh: python3 is needed to locate the mutated methods" >&2; exit 1; }
dotnet tool restore >/dev/null

# Stryker takes spans of characters, not lines: mutate only the quantization helpers of the graph writer and the rotation of the
# checkpoint store (the rest of those files is exercised by the slow ONNX parity and crash tests, outside this run's filter).
spans() { # FILE FIRST-METHOD LAST-METHOD -> {start..end} from FIRST's line to the closing brace of LAST
  python3 - "$@" <<'PY'
import re, sys
path, first, last = sys.argv[1:4]
text = open(path, encoding="utf-8").read()
start = re.search(r"^    \S.*\b" + re.escape(first) + r"\(", text, re.M).start()
tail = re.search(r"^    \S.*\b" + re.escape(last) + r"\(", text, re.M).start()
end = text.index("\n    }\n", tail) + len("\n    }")
print(f"{{{start}..{end}}}")
PY
}
quantization="$(spans src/TypedBert/Onnx/ClassifierGraphWriter.cs QuantizedMatMul QuantizedEmbedding)"
rotate="$(spans src/TypedBert/Training/Checkpoints/CheckpointStore.cs Rotate Rotate)"
config="$(mktemp --suffix=.json)"
trap 'rm -f "$config"' EXIT
sed -e "s/{QUANTIZATION}/$quantization/" -e "s/{ROTATE}/$rotate/" "${STRYKER_CONFIG:-stryker-config.json}" > "$config"

# libtorch on one thread per test process, as everywhere on the shared machines.
export OMP_NUM_THREADS=1
cd tests/TypedBert.Tests
dotnet dotnet-stryker --config-file "$config" "$@"
