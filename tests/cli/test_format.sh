#!/usr/bin/env bash
# Every C file of the project is formatted as .clang-format says (CI enforces it through
# this test). Fix with: clang-format -i FILE. The generated Chebyshev table
# (libcore/numerics/fermi_cheb.h, written by fermi_cheb.py) is left as generated.
SRC=${EXSOL_SRC:?}
command -v clang-format >/dev/null || { echo "SKIP: clang-format not installed"; exit 77; }
cd "$SRC" || exit 1
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    files=$(git ls-files '*.c' '*.h')
else
    files=$(find libcore tools tests bench -name '*.[ch]')
fi
bad=0 n=0
for f in $files; do
    case $f in */fermi_cheb.h) continue ;; esac
    n=$((n + 1))
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        echo "FAIL: $f is not formatted (clang-format -i $f)"
        bad=$((bad + 1))
    fi
done
echo "format: $n files, $bad not formatted"
[ $bad = 0 ]
