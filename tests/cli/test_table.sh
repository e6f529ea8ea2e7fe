#!/bin/bash
# exsol-table: golden TSV/CSV output, one candidate's curves, exit codes and
# one-line messages for bad input; the `exsol` dispatcher in front of it.
# Inputs are written with ncgen from CDL so the test does not depend on other tools.
set -euo pipefail
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cat >"$T/in.cdl" <<'CDL'
netcdf in {
dimensions:
  candidate = UNLIMITED ;
  temperature = 3 ;
  strlen12 = 12 ;
variables:
  char formula(candidate, strlen12) ;
    formula:long_name = "as-grown formula" ;
  double log10_rho_ratio(candidate) ;
    log10_rho_ratio:units = "1" ;
    log10_rho_ratio:_FillValue = 9.969209968386869e+36 ;
  int transport_status(candidate) ;
    transport_status:units = "1" ;
    transport_status:_FillValue = -2147483647 ;
  double temperature(temperature) ;
    temperature:units = "K" ;
  double rho_T_reduced(candidate, temperature) ;
    rho_T_reduced:units = "ohm m" ;
    rho_T_reduced:_FillValue = 9.969209968386869e+36 ;
  double thickness(candidate) ;
    thickness:units = "m" ;
data:
  formula = "SrTiO3", "La0.2Sr0.7", "a,\"b\"" ;
  log10_rho_ratio = 3.5, _, 0.1 ;
  transport_status = 0, 1, _ ;
  temperature = 2, 300, 400 ;
  rho_T_reduced = 1e-6, 2e-6, 3e-6,  _, _, _,  0.125, 1.0000000000000002, 1e-300 ;
  thickness = 3e-08, 2.999999999999999e-08, 1e+100 ;
}
CDL
ncgen -5 -o "$T/in.nc" "$T/in.cdl"
ncgen -4 -o "$T/in4.nc" "$T/in.cdl"

# check NAME EXPECTED-FILE ACTUAL-FILE
check() {
    if ! diff -u "$2" "$3"; then
        echo "FAIL: $1"
        fail=1
    fi
}

# expect STATUS NEEDLE CMD... : exit status, exactly one stderr line naming NEEDLE,
# nothing on stdout
expect() {
    local want=$1 needle=$2
    shift 2
    local rc=0
    "$@" >"$T/out" 2>"$T/err" </dev/null || rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL: exit $rc, want $want: $*"; cat "$T/err"; fail=1
    fi
    if [ "$(wc -l <"$T/err")" -ne 1 ] && [ "$want" -ne 2 ]; then
        echo "FAIL: want one stderr line: $*"; cat "$T/err"; fail=1
    fi
    if ! grep -qF -- "$needle" "$T/err"; then
        echo "FAIL: stderr does not say '$needle': $*"; cat "$T/err"; fail=1
    fi
    if [ -s "$T/out" ]; then
        echo "FAIL: stdout not empty: $*"; fail=1
    fi
}

# 1. default: every per-candidate number and text variable, file order, TSV
printf '%s\n' \
    "formula	log10_rho_ratio	transport_status	thickness" \
    "SrTiO3	3.5	0	3e-08" \
    "La0.2Sr0.7	NA	1	2.999999999999999e-08" \
    "a,\"b\"	0.1	NA	1e+100" >"$T/want"
"$BIN/exsol-table" "$T/in.nc" >"$T/got"
check "default TSV" "$T/want" "$T/got"
"$BIN/exsol-table" "$T/in4.nc" >"$T/got"
check "default TSV from NETCDF4" "$T/want" "$T/got"
"$BIN/exsol-table" - <"$T/in.nc" >"$T/got"
check "default TSV from stdin" "$T/want" "$T/got"
cat "$T/in.nc" | "$BIN/exsol-table" >"$T/got"
check "default TSV from a pipe" "$T/want" "$T/got"
"$BIN/exsol-table" - <"$T/in4.nc" >"$T/got"
check "default TSV from NETCDF4 on stdin (HDF5 in memory)" "$T/want" "$T/got"
"$BIN/exsol-table" <(cat "$T/in.nc") >"$T/got"
check "default TSV from a FIFO path (process substitution)" "$T/want" "$T/got"

# 2. chosen variables, in the order given; CSV quoting; -n; --no-header
printf '%s\n' 'thickness,formula' '3e-08,SrTiO3' '2.999999999999999e-08,La0.2Sr0.7' \
    '1e+100,"a,""b"""' >"$T/want"
"$BIN/exsol-table" --csv -v thickness,formula "$T/in.nc" >"$T/got"
check "CSV with quoting" "$T/want" "$T/got"
printf '%s\n' "SrTiO3	0" >"$T/want"
"$BIN/exsol-table" --no-header -n 1 -v 'formula, transport_status' "$T/in.nc" >"$T/got"
check "-n 1 --no-header" "$T/want" "$T/got"
printf '%s\n' "formula" >"$T/want"
"$BIN/exsol-table" --rows 0 -v formula "$T/in.nc" >"$T/got"
check "-n 0 prints the header only" "$T/want" "$T/got"

# 3. one candidate's curve next to its coordinate; one candidate as name/value
printf '%s\n' "temperature	rho_T_reduced" "2	0.125" "300	1.0000000000000002" "400	1e-300" \
    >"$T/want"
"$BIN/exsol-table" --row 2 -v rho_T_reduced "$T/in.nc" >"$T/got"
check "--row 2 curve" "$T/want" "$T/got"
printf '%s\n' "temperature	rho_T_reduced" "2	NA" "300	NA" "400	NA" >"$T/want"
"$BIN/exsol-table" --row 1 -v rho_T_reduced "$T/in4.nc" >"$T/got"
check "--row 1 curve of a failed row" "$T/want" "$T/got"
printf '%s\n' "variable	value" "formula	La0.2Sr0.7" "log10_rho_ratio	NA" \
    "transport_status	1" "thickness	2.999999999999999e-08" >"$T/want"
"$BIN/exsol-table" --row 1 "$T/in.nc" >"$T/got"
check "--row 1 as name/value lines" "$T/want" "$T/got"

# the variable list
printf '%s\n' "variable	kind	units	long_name" "formula	text		as-grown formula" \
    "log10_rho_ratio	number	1	" "transport_status	number	1	" "temperature	other	K	" \
    "rho_T_reduced	curve on temperature	ohm m	" "thickness	number	m	" >"$T/want"
"$BIN/exsol-table" -l "$T/in.nc" >"$T/got"
check "--list" "$T/want" "$T/got"

# 4. the dispatcher runs the same tool
"$BIN/exsol" table --csv -v thickness,formula "$T/in.nc" >"$T/got"
"$BIN/exsol-table" --csv -v thickness,formula "$T/in.nc" >"$T/want"
check "exsol table" "$T/want" "$T/got"
"$BIN/exsol" --help >"$T/got"
grep -q '^  table ' "$T/got" || { echo "FAIL: exsol --help does not list table"; fail=1; }
expect 2 "unknown command 'nosuch'" "$BIN/exsol" nosuch

# 5. help and version go to stdout, exit 0
"$BIN/exsol-table" --help >"$T/got"
grep -q '^Usage: exsol-table' "$T/got" || { echo "FAIL: --help"; fail=1; }
"$BIN/exsol-table" --version >"$T/got"
grep -q '^exsol-table (exsol) ' "$T/got" || { echo "FAIL: --version"; fail=1; }

# 6. bad input: exit 3 with one line naming the problem; usage errors: exit 2
printf 'name,value\nx,1\n' >"$T/text.nc"
head -c 400 "$T/in.nc" >"$T/trunc.nc"
head -c "$(($(stat -c %s "$T/in.nc") - 4))" "$T/in.nc" >"$T/trunc_data.nc"
head -c 3000 "$T/in4.nc" >"$T/trunc4.nc"
cat >"$T/foreign.cdl" <<'CDL'
netcdf foreign {
dimensions:
  time = 2 ;
variables:
  double t(time) ;
data:
  t = 1, 2 ;
}
CDL
ncgen -5 -o "$T/foreign.nc" "$T/foreign.cdl"
expect 3 "no variable 'nosuch' in $T/in.nc" "$BIN/exsol-table" -v formula,nosuch "$T/in.nc"
expect 3 "'$T/text.nc' is not a NetCDF file" "$BIN/exsol-table" "$T/text.nc"
expect 3 "'$T/trunc.nc' is truncated or corrupt" "$BIN/exsol-table" "$T/trunc.nc"
expect 3 "'$T/trunc_data.nc' is truncated or corrupt" "$BIN/exsol-table" "$T/trunc_data.nc"
expect 3 "'$T/trunc4.nc' is truncated or corrupt" "$BIN/exsol-table" "$T/trunc4.nc"
expect 3 "has no 'candidate' dimension" "$BIN/exsol-table" "$T/foreign.nc"
expect 3 "empty input on stdin" "$BIN/exsol-table" -
expect 1 "cannot open '$T/missing.nc'" "$BIN/exsol-table" "$T/missing.nc"
expect 2 "is a curve on 'temperature'" "$BIN/exsol-table" -v rho_T_reduced "$T/in.nc"
expect 2 "not per-candidate" "$BIN/exsol-table" -v temperature "$T/in.nc"
expect 2 "--row 3 is beyond the 3 candidates" "$BIN/exsol-table" --row 3 "$T/in.nc"
expect 2 "not both" "$BIN/exsol-table" --row 0 -v formula,rho_T_reduced "$T/in.nc"
expect 2 "-n/--rows" "$BIN/exsol-table" -n many "$T/in.nc"
expect 2 "unknown option '--bogus' (see --help)" "$BIN/exsol-table" --bogus "$T/in.nc"
expect 2 "too many arguments" "$BIN/exsol-table" "$T/in.nc" "$T/in.nc"

exit $fail
