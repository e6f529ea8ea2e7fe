#!/bin/bash
# exsol-window --h2-range (issue #17, the gas axis): the seed La0.2Sr0.7Ni0.1Ti0.9O3,
# 30 nm, 3 % H2O, searched over 500-700 C and 1-2 h, has a window at 5 % H2 but not at
# 0.1 %; its p_H2_window_min lies between them and agrees with plain exsol-window runs
# at fixed gases to the stated tolerance (a window at p_H2_window_min, none at
# p_H2_window_min / (1 + tol)). An undoped film that never switches is "no window" with
# its reason and exit 0, and without --h2-range the output has no gas-axis variables.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-table exsol-window
W="$BIN/exsol-window"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
LAT=(--T-range 500C:700C --t-range 1h:2h)
gen() { "$BIN/exsol-gen" --composition "$1" --temperature 550C --time 5h --h2 "$2" --h2o 3% \
    --thickness 30nm -o "$3" 2>/dev/null || bad "gen $1 $2"; }
status_at() { # window_status of the seed at a fixed gas
    gen La0.2Sr0.7Ni0.1Ti0.9O3 "$1" "$T/g.nc"
    "$W" -q --no-history "${LAT[@]}" "$T/g.nc" -o "$T/g.win.nc" &&
        "$BIN/exsol-table" -v window_status "$T/g.win.nc" | tail -1
}

check "window at 5 % H2" "$(status_at 5%)" 0
check "no window at 0.1 % H2" "$(status_at 0.1%)" 1

gen La0.2Sr0.7Ni0.1Ti0.9O3 5% "$T/seed.nc"
"$W" --no-history "${LAT[@]}" --h2-range 0.1%:5% --h2-tol 10% "$T/seed.nc" -o "$T/gas.nc" \
    2>"$T/err"
check "gas search exit 0" "$?" 0
check "no round file left in TMPDIR" "$(ls -A "$TMPDIR")" ""
read -r st pmin ph2 probes < <("$BIN/exsol-table" -v window_status,p_H2_window_min,p_H2,h2_probes \
    "$T/gas.nc" | tail -1)
check "seed has a window at its mildest gas" "$st" 0
holds "p_H2_window_min between 0.1 % and 5 % ($pmin Pa)" "$pmin" "v > 101.325 && v < 5066.25"
check "p_H2 is the gas of the window columns" "$ph2" "$pmin"
holds "bisection probes ($probes)" "$probes" "v >= 3 && v <= 12"
check "a window at p_H2_window_min" "$(status_at "${pmin}Pa")" 0
below=$(awk -v p="$pmin" 'BEGIN { printf "%.17gPa", p / 1.1 }')
check "no window at p_H2_window_min / 1.1" "$(status_at "$below")" 1
if command -v ncdump >/dev/null; then
    ncdump -h "$T/gas.nc" | grep -q ':window_h2_tolerance = 0.1 ;' && ok "tolerance attribute" ||
        bad "no window_h2_tolerance attribute"
fi

# a film that never switches: no window, the reason, exit 0
gen La0.2Sr0.7TiO3 5% "$T/undoped.nc"
"$W" -q --no-history "${LAT[@]}" --h2-range 0.1%:5% "$T/undoped.nc" -o "$T/undoped.win.nc"
check "undoped exit 0" "$?" 0
"$BIN/exsol-table" -v window_status,p_H2_window_min,window_reason "$T/undoped.win.nc" |
    tail -1 >"$T/u.tsv"
check "undoped: no window, fill" "$(cut -f1,2 "$T/u.tsv")" "1	NA"
grep -q "^1	NA	no window even at p_H2 5.07e+03 Pa: ." "$T/u.tsv" && ok "undoped reason" ||
    bad "undoped reason: $(cat "$T/u.tsv")"

# without --h2-range: no gas-axis variables
if command -v ncdump >/dev/null; then
    check "no gas-axis variables or attributes without --h2-range" \
        "$(ncdump -h "$T/g.win.nc" | grep -c 'p_H2_window_min\|h2_probes\|window_h2_')" 0
fi
exit $fail
