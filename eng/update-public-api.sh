#!/usr/bin/env bash
# Rewrites the public API baseline of the shipped libraries (PublicAPI.*.txt beside each project) after a deliberate change of
# their public surface: a public symbol the build does not find listed (RS0016) is added to PublicAPI.Unshipped.txt, and a
# listed one that is gone (RS0017) is deleted from Unshipped or, if it had shipped, marked *REMOVED* there. Review
# `git diff -- '*PublicAPI*'`, then commit. Works offline (the SDK's `dotnet format`, packages already restored). With --ship,
# it then moves Unshipped into PublicAPI.Shipped.txt (at a release).
set -euo pipefail
cd "$(dirname "$0")/.."
projects=(src/TypedBert src/TypedBert.Server src/TypedBert.Hosting)

dotnet restore TypedBert.sln --verbosity quiet
for project in "${projects[@]}"; do
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$project/$file" ] || printf '#nullable enable\n' > "$project/$file"
  done
  # RS0016: dotnet format applies the analyzer's own fix (it appends to Unshipped).
  dotnet format analyzers "$project" --diagnostics RS0016 --severity warn --no-restore --verbosity quiet
  # RS0017 has no fix that dotnet format applies: read the build's reports ("PATH(line,col): error RS0017: Symbol 'S' is ...").
  # (--no-incremental: an up-to-date build would skip the compiler and report nothing. It fails while the baseline is stale.)
  log=$(mktemp)
  dotnet build "$project" -c Release --no-restore --no-dependencies --no-incremental > "$log" 2>&1 || true
  grep -oE "PublicAPI\.(Shipped|Unshipped)\.txt\([0-9]+,[0-9]+\): (error|warning) RS0017: Symbol '.*' is part of the declared API" "$log" \
    | sed -E "s/^PublicAPI\.(Shipped|Unshipped)\.txt.*Symbol '(.*)' is part of the declared API$/\1\t\2/" | sort -u \
    | while IFS=$'\t' read -r file symbol; do
        if [ "$file" = Unshipped ]; then
          grep -vxF -- "$symbol" "$project/PublicAPI.Unshipped.txt" > "$project/PublicAPI.Unshipped.txt.new" || true
          mv "$project/PublicAPI.Unshipped.txt.new" "$project/PublicAPI.Unshipped.txt"
        else
          printf '*REMOVED*%s\n' "$symbol" >> "$project/PublicAPI.Unshipped.txt"
        fi
      done || true  # grep finds nothing when nothing was removed
  rm "$log"
done

if [ "${1:-}" = "--ship" ]; then
  for project in "${projects[@]}"; do
    # Symbols marked *REMOVED* leave Shipped; the others join it, sorted.
    grep '^\*REMOVED\*' "$project/PublicAPI.Unshipped.txt" | sed 's/^\*REMOVED\*//' > "$project/PublicAPI.removed.tmp" || true
    { grep -v '^#nullable enable$' "$project/PublicAPI.Shipped.txt" | grep -vxF -f "$project/PublicAPI.removed.tmp" || true
      grep -v -e '^#nullable enable$' -e '^\*REMOVED\*' "$project/PublicAPI.Unshipped.txt" || true
    } | sed '/^$/d' | LC_ALL=C sort -u | { printf '#nullable enable\n'; cat; } > "$project/PublicAPI.Shipped.txt.new"
    mv "$project/PublicAPI.Shipped.txt.new" "$project/PublicAPI.Shipped.txt"
    rm "$project/PublicAPI.removed.tmp"
    printf '#nullable enable\n' > "$project/PublicAPI.Unshipped.txt"
  done
fi

# The libraries compiled afresh (an up-to-date build would not run the analyzers), then everything else.
for project in "${projects[@]}"; do dotnet build "$project" -c Release --no-restore --no-dependencies --no-incremental --verbosity quiet; done
dotnet build TypedBert.sln -c Release --no-restore --verbosity quiet
git status --short -- '*PublicAPI*'
