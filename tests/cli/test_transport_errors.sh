#!/bin/bash
# exsol-transport bad inputs: a missing reduce variable is exit 3 with one stderr line
# naming it and no output file; usage errors exit 2; --help exits 0 on stdout.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
X="$BIN/exsol-transport"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for v in delta_reduced reduce_status A_donor_fraction metal_volume_fraction; do
    # drop the declaration, its attributes and its data block from the CDL
    awk -v v="$v" '
        $0 ~ "^\t[a-z]+ " v "\\(" {skip=1; next}
        skip && $0 ~ "^\t\t" v ":" {next}
        {skip=0}
        $0 ~ "^ " v " =" {drop=1}
        drop {if ($0 ~ /;/) drop=0; next}
        {print}' "$SRC/tests/cli/transport/input.cdl" >"$T/m.cdl"
    ncgen -k cdf5 -o "$T/m.nc" "$T/m.cdl" || { bad "ncgen without $v"; continue; }
    "$X" -o "$T/out.nc" "$T/m.nc" >"$T/stdout" 2>"$T/stderr"
    rc=$?
    [ "$rc" -eq 3 ] && ok "missing $v: exit 3" || bad "missing $v: exit $rc"
    [ "$(wc -l <"$T/stderr")" -eq 1 ] && ok "missing $v: one stderr line" || { bad "stderr lines"; cat "$T/stderr"; }
    grep -q "'$v'" "$T/stderr" && ok "missing $v: named" || { bad "not named"; cat "$T/stderr"; }
    [ ! -s "$T/stdout" ] && [ ! -e "$T/out.nc" ] && ok "missing $v: no output" || bad "output written"
done

"$X" --bogus >/dev/null 2>&1
rc=$?; [ "$rc" -eq 2 ] && ok "unknown option: exit 2" || bad "unknown option: exit $rc"
ncgen -k cdf5 -o "$T/in.nc" "$SRC/tests/cli/transport/input.cdl"
"$X" --set no_such_parameter=1 -o "$T/o.nc" "$T/in.nc" >/dev/null 2>"$T/e"
rc=$?; [ "$rc" -ne 0 ] && grep -q "no_such_parameter" "$T/e" && ok "unknown --set name rejected (exit $rc)" || bad "unknown --set: exit $rc"
"$X" --set E_comp=50 -o "$T/o.nc" "$T/in.nc" >/dev/null 2>"$T/e"
rc=$?; [ "$rc" -ne 0 ] && ok "--set out of range rejected (exit $rc)" || bad "--set out of range accepted"
printf 'not a netcdf file\n' >"$T/junk"
"$X" -o "$T/o.nc" "$T/junk" >/dev/null 2>&1
rc=$?; [ "$rc" -eq 3 ] && ok "garbage input: exit 3" || bad "garbage input: exit $rc"
"$X" --help >"$T/help" 2>/dev/null
rc=$?; [ "$rc" -eq 0 ] && grep -q "^Usage: exsol-transport" "$T/help" && ok "--help" || bad "--help exit $rc"
exit $fail
