#!/usr/bin/env bash
# The bad-input catalogue: every file tests/cli/bad/<tool>/<name>.case is one case
# (format in tests/cli/bad/README.md). Each case runs in a fresh folder that already
# holds a known-good out.nc; for every case the runner asserts
#   - the tool was not killed by a signal (exit < 128) and did not time out,
#   - no sanitizer report on stderr,
#   - the expected exit code (a grep -E alternation, e.g. 3 or 0|3),
#   - exactly one stderr line, matching the case's pattern (no line at all on exit 0),
#   - no temporary (.*.tmp*) and no other new file left (except those listed in creates:),
#   - out.nc byte for byte as before,
#   - the case's own check: command, if any, succeeds.
# Cases marked 'xfail: REASON' are known defects: reported as XFAIL, not counted as
# failures; an xfail case that passes is a failure (remove the marker).
# Usage: test_bad_inputs.sh [PATTERN]   (only the cases whose path matches PATTERN)
set -u
BIN=${EXSOL_BIN:?set EXSOL_BIN (build/bin)}
SRC=${EXSOL_SRC:?set EXSOL_SRC (the source tree)}
BUILD=${EXSOL_BUILD:-$(dirname "$BIN")}
export HDF5_PLUGIN_PATH=${HDF5_PLUGIN_PATH:-$BUILD/hdf5-plugin} LC_ALL=C
export PATH="$BIN:$PATH"
CASES=$SRC/tests/cli/bad
only=${1:-}
T=$(mktemp -d "${TMPDIR:-/tmp}/exsol-bad.XXXXXX")
start=${EPOCHREALTIME/./}
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
FX=$T/fx
mkdir "$FX"
export FX SRC BIN

# ---- fixtures, made once -------------------------------------------------------------
fixtures() {
    set -e
    cd "$FX"
    local C="--composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C,600C --time 5h"
    exsol-gen -q --no-history $C -o gen.nc
    exsol-reduce -q --no-history -o red.nc gen.nc
    exsol-transport -q --no-history -o tr.nc red.nc
    exsol-magnet -q --no-history -o mag.nc tr.nc
    exsol-gen -q --no-history $C >gen.cdf5
    exsol-reduce -q --no-history <gen.cdf5 >red.cdf5
    exsol-transport -q --no-history <red.cdf5 >tr.cdf5
    exsol-magnet -q --no-history <tr.cdf5 >mag.cdf5
    cp gen.nc good.nc
    # foreign files
    : >empty
    printf 'formula\tT_anneal\nLa0.2Sr0.7Ni0.1Ti0.9O3\t823.15\n' >text.tsv
    printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x02\0\0\0\x90wS\xde' >image.png
    printf 'CDF\x09junk' >badversion.nc
    printf 'CDF\x01' >cdf1-magic-only.nc
    printf '\x89HDF\r\n\x1a\n' >hdf5-magic-only.nc
    python3 - <<'PY'
import random, struct
def rd(p): return open(p, 'rb').read()
def wr(p, b): open(p, 'wb').write(b)
for name in ("red.nc", "red.cdf5", "mag.nc", "gen.cdf5"):
    b = rd(name)
    base = name.replace(".", "-")
    for tag, n in (("4", 4), ("64", 64), ("512", 512), ("4096", 4096), ("half", len(b) // 2),
                   ("last", len(b) - 1)):
        wr("trunc-%s-%s.nc" % (base, tag), b[:n])
    for seed in range(6):
        r = random.Random(1000 * seed + len(name))
        a = bytearray(b)
        lim = 2048 if seed < 3 else len(a)  # header region first, then anywhere
        for _ in range(8):
            i = r.randrange(min(lim, len(a)))
            a[i] ^= 1 << r.randrange(8)
        wr("flip-%s-%d.nc" % (base, seed), bytes(a))
# CDF5 with a huge record count in its header (bytes 4..11, big-endian int64)
b = bytearray(rd("red.cdf5"))
assert b[:4] == b"CDF\x05"
for tag, n in (("huge", 1 << 40), ("negative", (1 << 64) - 5), ("plus1", 3)):
    b[4:12] = struct.pack(">Q", n)
    wr("numrecs-%s.nc" % tag, bytes(b))
# a fixed dimension (radius_bin, 120) declared huge in a CDF5 header
b = bytearray(rd("red.cdf5"))
i = b.index(b"radius_bin") + 12           # name (10 bytes, padded to 12), then int64 length
assert struct.unpack(">Q", b[i:i + 8])[0] == 120
for tag, n in (("huge", 1 << 40), ("zero", 0), ("121", 121)):
    b[i:i + 8] = struct.pack(">Q", n)
    wr("dimlen-%s.nc" % tag, bytes(b))
# a corrupt zstd chunk: spoil bytes inside the frames of a NETCDF4 file
for name in ("red.nc", "gen.nc"):
    b = bytearray(rd(name))
    frames, i = [], b.find(b"\x28\xb5\x2f\xfd")
    while i >= 0:
        frames.append(i)
        i = b.find(b"\x28\xb5\x2f\xfd", i + 1)
    assert len(frames) > 4, name
    # frames 2, middle, last: a variable magnet reads, and others only copied through
    # (frame 1 is the candidate id since gen writes it)
    for k in (2, len(frames) // 2, len(frames) - 1):
        for j in range(6, 14):
            if frames[k] + j < len(b):
                b[frames[k] + j] ^= 0x5a
    wr("zstd-corrupt-%s" % name, bytes(b))
# every frame spoilt: a stage that reads any compressed variable of it must fail, wherever
# the chunks of the variables it reads sit in the file (they move when a stage adds one)
b = bytearray(rd("red.nc"))
i = b.find(b"\x28\xb5\x2f\xfd")
while i >= 0:
    for j in range(6, 14):
        if i + j < len(b):
            b[i + j] ^= 0x5a
    i = b.find(b"\x28\xb5\x2f\xfd", i + 1)
wr("zstd-corrupt-all-red.nc", bytes(b))
PY
    set +e
}

# NetCDF files made from CDL: cdl NAME BASE KIND EDIT... (BASE: gen, red or mag; KIND 5 or nc4)
cdl() {
    local name=$1 base=$2 kind=$3
    shift 3
    python3 "$CASES/cdl_edit.py" "$FX/$base.cdl" "$FX/$name.cdl" "$@" &&
        ncgen -k "$kind" -o "$FX/$name.nc" "$FX/$name.cdl" && rm -f "$FX/$name.cdl"
}
big_fixtures() { # screens big enough that a stage is still running when a signal comes
    cd "$FX" || return 1
    exsol-gen -q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 500C:900C:2C \
        --time 1h,5h,20h -o big.nc &&
        exsol-gen -q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 500C:900C:4C \
            --time 1h,5h,20h | exsol-reduce -q --no-history -o bigred.nc
}
cdl_fixtures() {
    cd "$FX" || return 1
    for b in gen red mag; do ncdump "$b.cdf5" >"$b.cdl" || return 1; done
    local k
    # gen output with wrong or missing values (inputs of exsol-reduce)
    cdl gen-T-nan gen 5 data:T_anneal:NaN,873.15
    cdl gen-T-inf gen 5 data:T_anneal:Infinity,873.15
    cdl gen-T-neg gen 5 data:T_anneal:-5,873.15
    cdl gen-T-zero gen 5 data:T_anneal:0,873.15
    cdl gen-T-fill gen 5 data:T_anneal:_,873.15
    cdl gen-T-huge gen 5 data:T_anneal:1e300,873.15
    cdl gen-time-nan gen 5 data:t_anneal:NaN,18000
    cdl gen-time-inf gen 5 data:t_anneal:-Infinity,18000
    cdl gen-time-neg gen 5 data:t_anneal:-1,18000
    cdl gen-time-huge gen 5 data:t_anneal:1e300,18000
    cdl gen-pH2-nan gen 5 data:p_H2:NaN,5066.25
    cdl gen-pH2-neg gen 5 data:p_H2:-1,5066.25
    cdl gen-pH2O-zero gen 5 data:p_H2O:0,3039.75
    cdl gen-pH2-fill gen 5 data:p_H2:9.96920996838687e+36,5066.25
    cdl gen-pH2-huge gen 5 data:p_H2:1e12,5066.25
    cdl gen-thick-nan gen 5 data:thickness:NaN,3e-08
    cdl gen-thick-zero gen 5 data:thickness:0,3e-08
    cdl gen-z-nan gen 5 data:dopant_fraction:NaN,0.1
    cdl gen-z-two gen 5 data:dopant_fraction:2,0.1
    cdl gen-z-neg gen 5 data:dopant_fraction:-0.1,0.1
    cdl gen-a-nan gen 5 data:A_vacancy:NaN,0.1
    cdl gen-delta-inf gen 5 data:delta_asgrown:Infinity,0
    cdl gen-valence-huge gen 5 data:dopant_valence:2147483647,2
    cdl gen-dopant-empty gen 5 'data:dopant:"", "Ni"'
    cdl gen-dopant-unknown gen 5 'data:dopant:"Xx", "Ni"'
    cdl gen-dopant-nul gen 5 'data:dopant:"\\000Ni", "Ni"'
    cdl gen-T-text gen 5 "decl:T_anneal:char T_anneal(candidate, strlen8)" delatt:T_anneal:_FillValue \
        'data:T_anneal:"hot", "cold"'
    cdl gen-T-int gen 5 "decl:T_anneal:int T_anneal(candidate)" delatt:T_anneal:_FillValue data:T_anneal:823,873
    cdl gen-T-scalar gen 5 "decl:T_anneal:double T_anneal" data:T_anneal:823.15
    cdl gen-T-2d gen 5 "decl:T_anneal:double T_anneal(candidate, strlen8)" \
        data:T_anneal:1,2,3,4,5,6,7,8,1,2,3,4,5,6,7,8
    cdl gen-T-celsius gen 5 'att:T_anneal:units:"degC"' data:T_anneal:550,600
    cdl gen-T-units-number gen 5 'att:T_anneal:units:273.15'
    cdl red-dopant-empty red 5 'data:dopant:"", "Ni"'
    cdl red-thick-nm red 5 'att:thickness:units:"nm"' data:thickness:30,30
    cdl mag-M-units-slash mag 5 'att:M_300K_1T_reduced:units:"A/m"' 'att:T_B_p90:units:"K1"'
    cdl mag-TB-celsius mag 5 'att:T_B_p90:units:"degC"'
    cdl gen-T-missing gen 5 delvar:T_anneal
    cdl gen-dopant-missing gen 5 delvar:dopant
    cdl gen-dopant-number gen 5 "decl:dopant:double dopant(candidate)" data:dopant:1,2
    cdl gen-nocand gen 5 "dim:candidate:row = UNLIMITED" "suball:(candidate:(row"
    ncdump -h gen.cdf5 | ncgen -5 -o gen-zero-rows.nc
    cdl gen-fixed-cand gen 5 "dim:candidate:candidate = 2"
    cdl fill2-gen-T gen 5 delatt:T_anneal:_FillValue "att:T_anneal:_FillValuX:1., 2."
    cdl fill2-red-x red 5 delatt:exsolved_fraction:_FillValue "att:exsolved_fraction:_FillValuX:1., 2."
    # reduce output with wrong values (inputs of exsol-transport and exsol-magnet)
    cdl red-status-unknown red 5 data:reduce_status:7,0
    cdl red-x-nan red 5 data:exsolved_fraction:NaN,0.9
    cdl red-x-two red 5 data:exsolved_fraction:2,0.9
    cdl red-delta-inf red 5 data:delta_reduced:Infinity,0.01
    cdl red-phi-nan red 5 data:metal_volume_fraction:NaN,0.01
    cdl red-psd-missing red 5 delvar:surface_size_distribution
    cdl red-radius-missing red 5 delvar:radius_bin delvar:radius_bin_width
    cdl red-psd-1d red 5 "decl:surface_size_distribution:double surface_size_distribution(candidate)" \
        data:surface_size_distribution:1,2
    cdl red-status-missing red 5 delvar:reduce_status
    cdl red-thick-missing red 5 delvar:thickness
    cdl red-cap-missing red 5 delvar:cap_volume_factor
    # magnet output with wrong values (inputs of exsol-rank)
    cdl mag-ratio-nan mag 5 data:log10_rho_ratio:NaN,NaN
    cdl mag-ratio-inf mag 5 data:log10_rho_ratio:Infinity,6
    cdl mag-ratio-missing mag 5 delvar:log10_rho_ratio
    cdl mag-spm-text mag 5 "decl:spm_300K_reduced:char spm_300K_reduced(candidate, strlen8)" \
        delatt:spm_300K_reduced:_FillValue 'data:spm_300K_reduced:"yes", "no"'
    rm -f gen.cdl red.cdl mag.cdl
    # a multi-valued _FillValue (ncgen refuses one: write _FillValuX, then rename in place)
    python3 -c '
import sys
for p in sys.argv[1:]:
    b = open(p, "rb").read()
    assert b.count(b"_FillValuX") == 1, p
    open(p, "wb").write(b.replace(b"_FillValuX", b"_FillValue"))' fill2-*.nc
    # an HDF5 file that is not netCDF: one dataset copied out of a netCDF-4 file
    h5copy -i red.nc -o plain.h5 -s /T_anneal -d /T_anneal 2>/dev/null || : >plain.h5
}
[ -n "${EXSOL_KEEP:-}" ] && trap - EXIT && echo "fixtures in $T"
(big_fixtures) >"$T/big.log" 2>&1 &
bigpid=$!
if ! (fixtures) >"$T/fixtures.log" 2>&1 || ! (cdl_fixtures) >>"$T/fixtures.log" 2>&1 ||
    ! wait $bigpid || ! cat "$T/big.log" >>"$T/fixtures.log"; then
    echo "FAIL: fixtures"; cat "$T/fixtures.log"; exit 1
fi

echo "fixtures made in $(((${EPOCHREALTIME/./} - start) / 1000)) ms"
# ---- the cases -------------------------------------------------------------------------
san='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|ThreadSanitizer'
run_cases() { # worker k of n: every n-th case, one result line each, prefixed by its index
local k=$1 n=$2 i=-1
for case in $(cd "$CASES" && ls */*.case | sort); do
    i=$((i + 1))
    [ $((i % n)) -eq "$k" ] || continue
    [ -n "$only" ] && [[ $case != *$only* ]] && continue
    f=$CASES/$case
    name=${case%.case}
    cmd= want= pat= setup= xf= needs= sig= creates= check= to=
    while IFS= read -r line; do
        key=${line%%:*} val=${line#*:}
        val=${val# }
        case $key in
        cmd) cmd=$val ;; exit) want=$val ;; stderr) pat=$val ;; setup) setup=$val ;;
        xfail) xf=$val ;; needs) needs=$val ;; signal) sig=$val ;; creates) creates=$val ;;
        check) check=$val ;; timeout) to=$val ;;
        esac
    done <"$f"
    to=${to:-20}
    if [ -z "$cmd" ] || [ -z "$want" ]; then
        echo "$i FAIL $name: the case has no cmd: or exit: line"; continue
    fi
    if [ "$needs" == root ] && { [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; }; then
        echo "$i SKIP $name: needs root and unshare(1)"; continue
    fi
    if [ "$needs" == nonroot ] && [ "$(id -u)" == 0 ]; then
        echo "$i SKIP $name: root ignores file permissions"; continue
    fi
    # LeakSanitizer's own tracer sometimes dies on a loaded machine ("LeakSanitizer has
    # encountered a fatal error", no leak report): that run says nothing about exsol, so
    # the case runs once more; a second such failure counts as a failure below
    for attempt in 1 2; do
    t0=${EPOCHREALTIME/./}
    D=$T/run/$name
    rm -rf "$D" "$D".*
    mkdir -p "$D"
    cp "$FX/good.nc" "$D/out.nc"
    why=()
    if [ -n "$setup" ] && ! (cd "$D" && bash -c "$setup") >"$D.setup" 2>&1; then
        why+=("setup failed: $(head -c 200 "$D.setup")")
    fi
    (cd "$D" && find . -mindepth 1 | sort) >"$D.before"
    if [ -n "$sig" ]; then
        # start the stage, wait for its temporary output, then send the signal
        (cd "$D" && exec timeout -k 2 "$to" bash -c "$cmd") >"$D.out" 2>"$D.err" &
        pid=$!
        for _ in $(seq 1 500); do
            compgen -G "$D/.*.tmp*" >/dev/null && break
            sleep 0.01
        done
        sleep 0.05
        pkill -"$sig" -P $pid # the tool: the child of timeout (cmd starts with exec)
        { wait $pid; } 2>/dev/null
        rc=$?
    else
        (cd "$D" && exec timeout -k 2 "$to" bash -c "$cmd") >"$D.out" 2>"$D.err" </dev/null
        rc=$?
    fi
    grep -q 'LeakSanitizer has encountered a fatal error' "$D.err" || break
    done
    nl=$(grep -c '' "$D.err")
    cp "$D.err" "$D.err.orig"
    if [ -z "$sig" ]; then
        [ $rc -eq 124 ] && why+=("timed out after ${to}s")
        [ $rc -ge 128 ] && why+=("killed by signal $((rc - 128))")
    fi
    lib=0
    if grep -qE "$san" "$D.err"; then
        # a report whose every block starts (first frame outside the sanitizer and libc)
        # in libhdf5 or libnetcdf is the libraries' own (HDF5 1.10.8 on corrupt files):
        # counted as LIB, not as a failure; the file checks below still apply
        lib=$(awk '/ERROR: AddressSanitizer|leak of/ {blocks++; want=1; next}
                   want && /#[0-9]+ 0x/ && !/sanitizer|asan|interceptor|libc\.so|libstdc/ {
                       want=0; if (/libhdf5|libnetcdf|H5[A-Z_]|nc4_|NC_/) lib++ }
                   END {print (blocks > 0 && lib == blocks) ? 1 : 0}' "$D.err")
        # LeakSanitizer's tracer dying ("has encountered a fatal error", "Tracer caught
        # signal") is the checker failing, not a report on the program: counted with LIB
        if [ "$lib" != 1 ] && grep -q 'LeakSanitizer has encountered a fatal error' "$D.err" &&
            ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer: detected)|runtime error:' "$D.err"; then
            lib=1
            sed -i '/^Tracer caught signal/d' "$D.err"
        fi
        [ "$lib" == 1 ] || why+=("sanitizer report: $(grep -m1 -E "$san" "$D.err")")
        sed -i '/^==[0-9]*==\|^ *#[0-9]\|^SUMMARY\|^$\|^===\|AddressSanitizer\|LeakSanitizer\|allocated from\|leak of\|^HINT\|^Shadow\|^  \|^Register\|^AddressSanitizer can not\|^The signal\|^READ\|^WRITE\|^freed by\|^previously\|^0x/d' "$D.err"
        nl=$(grep -c '' "$D.err")
    fi
    if [ "$lib" != 1 ]; then # (else the library aborted the run: no exit code or message to judge)
        [[ $rc =~ ^($want)$ ]] || why+=("exit $rc, want $want")
        if [ $rc -eq 0 ]; then
            [ "$nl" -eq 0 ] || why+=("exit 0 with $nl stderr lines: $(head -n 1 "$D.err" | head -c 200)")
        elif [ -n "$sig" ]; then
            [ "$nl" -le 1 ] || why+=("$nl stderr lines after the signal")
        else
            [ "$nl" -eq 1 ] || why+=("$nl stderr lines, want 1: $(head -n 2 "$D.err" | tr '\n' '|' | head -c 240)")
            [ -n "$pat" ] && ! grep -qE -- "$pat" "$D.err" &&
                why+=("stderr does not match /$pat/: $(head -n 1 "$D.err" | head -c 200)")
        fi
    fi
    left=()
    while IFS= read -r p; do
        keep=1
        if [ $rc -eq 0 ]; then
            for g in $creates; do [ "$p" == "./$g" ] && keep=0; done
        fi
        [ $keep -eq 1 ] && left+=("$p")
    done < <(cd "$D" && find . -mindepth 1 | sort | comm -13 "$D.before" -)
    [ ${#left[@]} -gt 0 ] && why+=("left behind: ${left[*]}")
    if [ ! -f "$D/out.nc" ] || ! cmp -s "$FX/good.nc" "$D/out.nc"; then
        why+=("the existing out.nc was changed or removed")
    fi
    if [ -n "$check" ] && ! (cd "$D" && bash -c "$check") >"$D.check" 2>&1; then
        why+=("check failed: $check $(head -c 200 "$D.check")")
    fi
    ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
    if [ -n "$xf" ]; then
        if [ ${#why[@]} -eq 0 ]; then
            echo "$i FAIL $name: XPASS (known defect '$xf' no longer shows: remove the xfail line)"
        else
            echo "$i XFAIL $name (${ms} ms): $xf [$(IFS=';'; echo "${why[*]}" | tr '\n' ' ' | head -c 200)]"
        fi
    elif [ ${#why[@]} -eq 0 ] && [ "$lib" == 1 ]; then
        echo "$i LIB $name (${ms} ms): sanitizer report inside HDF5/netCDF-C only, $(grep -m1 -o 'ERROR: [A-Za-z]*: [a-z-]*' "$D.err.orig" 2>/dev/null)"
    elif [ ${#why[@]} -eq 0 ]; then
        echo "$i ok $name (${ms} ms)"
    else
        echo "$i FAIL $name: $(IFS=';'; echo "${why[*]}" | tr '\n' ' ') [cmd: $cmd]"
    fi
    chmod -R u+w "$D" 2>/dev/null; rm -rf "$D"
done
}
JOBS=${EXSOL_BAD_JOBS:-2}
for k in $(seq 0 $((JOBS - 1))); do
    run_cases "$k" "$JOBS" >"$T/res.$k" &
done
wait
sort -n -s -k1,1 "$T"/res.* | cut -d' ' -f2- >"$T/results"
cat "$T/results"
pass=$(grep -ac '^ok ' "$T/results") fail=$(grep -ac '^FAIL ' "$T/results")
xfail=$(grep -ac '^XFAIL ' "$T/results") skip=$(grep -ac '^SKIP ' "$T/results")
lib=$(grep -ac '^LIB ' "$T/results")
echo "$pass passed, $fail failed ($xfail xfail, $skip skipped, $lib with reports inside HDF5/netCDF-C only)"
[ "$fail" -eq 0 ]
