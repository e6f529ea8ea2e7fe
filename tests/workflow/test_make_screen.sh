#!/bin/bash
# `make screen` builds only what the screen runs: the Makefile builds the CMake target
# `screen`, which in a fresh build tree makes every tool (one per tools/*.c) and the
# HDF5 plugin, and no test program, benchmark or man page; `make test` still builds
# everything (cmake --build without a target) before ctest.
set -u
SRC=${EXSOL_SRC:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

make -n -s -C "$SRC" screen BUILD="$T/b" >"$T/screen.n" 2>&1
grep -q -- "cmake --build $T/b .*--target screen" "$T/screen.n" && ok "make screen builds the target 'screen'" \
    || { bad "make screen does not build the target 'screen'"; grep cmake "$T/screen.n"; }
grep -q "snakemake" "$T/screen.n" && ok "make screen runs snakemake" || bad "make screen runs no snakemake"
make -n -s -C "$SRC" test BUILD="$T/b" >"$T/test.n" 2>&1
grep -E "cmake --build $T/b( -j [0-9]+)?\$" "$T/test.n" >/dev/null && ok "make test builds everything" \
    || { bad "make test does not build everything"; grep cmake "$T/test.n"; }
grep -q "ctest" "$T/test.n" && ok "make test runs ctest" || bad "make test runs no ctest"

cmake -S "$SRC" -B "$T/b" -DCMAKE_BUILD_TYPE=Release >"$T/cfg.log" 2>&1 || { bad "configure"; tail "$T/cfg.log"; exit 1; }
if cmake --build "$T/b" --target screen -j 2 >"$T/build.log" 2>&1; then ok "cmake --build --target screen"
else bad "cmake --build --target screen"; tail -5 "$T/build.log"; exit 1; fi
for src in "$SRC"/tools/*.c; do
    t=$(basename "$src" .c)
    [ -x "$T/b/bin/$t" ] || bad "tool $t not built"
done
ok "every tool built ($(ls "$T/b/bin" | wc -l))"
[ -s "$T/b/hdf5-plugin/libH5Zzstd.so" ] && ok "HDF5 plugin built" || bad "HDF5 plugin not built"
extra=$(find "$T/b" -type f \( -name 'unit_test_*' -o -name 'numeric_test_*' -o -name 'bench_*' -o -name '*.1' \) \
    -perm -u+r ! -name '*.o' ! -path '*/CMakeFiles/*' | head -5)
[ -z "$extra" ] && ok "no test program, benchmark or man page built" || bad "also built: $extra"
exit $fail
