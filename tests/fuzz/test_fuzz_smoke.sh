#!/usr/bin/env bash
# Each fuzz target (every build/bin/fuzz_*: formula, grid, units, parse, params, expr,
# ncfile, ncopen, copy) for a few seconds (FUZZ_SECONDS, default 10) from its seed corpus:
# a crash, leak or sanitizer report in exsol's own code fails the test. The HDF5
# modes run in fork mode and only fail on a crash outside HDF5 (see bench/fuzz.sh).
set -u
BUILD=${EXSOL_BUILD:?}
SRC=${EXSOL_SRC:?}
S=${FUZZ_SECONDS:-10}
export EXSOL_DATADIR=${EXSOL_DATADIR:-$SRC/datasets}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
run() { # name binary VAR=VALUE|- [libFuzzer args...]
    local name=$1 bin=$2 e=$3
    shift 3
    [ "$e" == - ] && e=EXSOL_FUZZ_MODE=default
    mkdir -p "$T/$name/c" "$T/$name/x"
    [ -d "$SRC/tests/fuzz/corpus/$bin" ] && cp "$SRC/tests/fuzz/corpus/$bin"/* "$T/$name/c/"
    env "$e" "$BUILD/bin/$bin" -max_total_time="$S" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$T/$name/x/" -print_final_stats=1 "$@" "$T/$name/c" >"$T/$name.log" 2>&1
    local rc=$? n
    n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$T/$name.log" | awk '{s += $2} END {print s + 0}')
    [ "$n" -eq 0 ] && n=$(grep -oE '^#[0-9]+' "$T/$name.log" | tail -n 1 | tr -d '#') # fork mode
    if [ "${HDF5MODE:-}" == 1 ]; then
        # crashes contained by fork mode: report those whose stack has no H5 frame
        local own
        own=$(awk '/ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)/ {inerr=1; h5=0; next}
                   inerr && /#[0-9]+ .* in H5/ {h5=1}
                   inerr && /^SUMMARY/ {if (!h5) n++; inerr=0} END {print n + 0}' "$T/$name.log")
        echo "$name: $n runs, $(ls "$T/$name/x" | wc -l) crash inputs, $own outside HDF5"
        [ "$own" -eq 0 ] || { fail=1; grep -m3 -A12 'ERROR:' "$T/$name.log"; }
    elif [ $rc -ne 0 ]; then
        echo "FAIL $name: exit $rc after $n runs"; grep -m1 -A25 'ERROR:' "$T/$name.log"; fail=1
    else
        echo "ok $name: $n runs in ${S}s"
    fi
}
for f in "$BUILD"/bin/fuzz_*; do
    [ -x "$f" ] || continue
    b=$(basename "$f")
    run "$b" "$b" -
done
HDF5MODE=1 run fuzz_ncfile-hdf5 fuzz_ncfile EXSOL_FUZZ_HDF5=1 -fork=1 -ignore_crashes=1 -detect_leaks=0
HDF5MODE=1 run fuzz_copy-hdf5 fuzz_copy EXSOL_FUZZ_HDF5=1 -fork=1 -ignore_crashes=1 -detect_leaks=0
exit $fail
