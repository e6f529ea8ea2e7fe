#!/usr/bin/env bash
# The README documents every tool with its --help text; this keeps the two in step:
# each tool in build/bin has a block, and each block equals the tool's --help.
# (Refresh the blocks with docs/update-readme-help.sh.)
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for exe in "$BIN"/exsol-*; do
    tool=$(basename "$exe")
    awk -v tool="$tool" '
      $0 == "<!-- help:" tool " -->" { inblk = 1; next }
      inblk && /^<!-- \/help -->$/ { exit }
      inblk { print }
    ' "$SRC/README.md" | sed '1d;2d;$d' >"$T/readme.txt"
    if [ ! -s "$T/readme.txt" ]; then
        echo "FAIL: README.md has no --help block for $tool"
        fail=1
        continue
    fi
    "$exe" --help >"$T/help.txt" 2>&1 || { echo "FAIL: $tool --help exited non-zero"; fail=1; }
    diff -u "$T/readme.txt" "$T/help.txt" >"$T/diff" ||
        { echo "FAIL: README block for $tool differs from its --help:"; head -20 "$T/diff"; fail=1; }
done
[ $fail -eq 0 ] && echo "README --help blocks match every tool"
exit $fail
