#!/bin/bash
# exsol-window against the brute grid of the chain (issue #17's acceptance, on a grid
# small enough for a test): the seed La0.2Sr0.7Ni0.1Ti0.9O3, 30 nm, 5 % H2 + 3 % H2O,
# searched over 450-800 C at 5 K and 1-2 h at 10 %, gives per time sample the same
# lowest and highest switching temperature and per temperature the same shortest and
# longest switching time as exsol-gen over the same 5 K x log-spaced lattice ->
# reduce -> transport -> magnet -> rank (to the stated tolerance: 5 K, 10 %), with at
# most a fifth of the grid's (T, t) evaluations. Also: a film that never switches
# (undoped La0.2Sr0.7TiO3, or one gen flags infeasible) is "no window" with its reason
# and exit 0; films are grouped by everything but the anneal; the output is the same
# for any thread count; stdin and pipes work; the round files leave nothing in $TMPDIR.
# (Above ~815 C the seed's superparamagnetic verdict flickers between neighbouring 5 K
# points as T_B,p90 crosses 300 K with the surface/buried balance: pockets that no search
# on fewer points can promise to find; bench/bench_window.sh runs the full range.)
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-table \
    exsol-window
W="$BIN/exsol-window"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"

SEED=(--composition La0.2Sr0.7Ni0.1Ti0.9O3 --h2 5% --h2o 3% --thickness 30nm)
"$BIN/exsol-gen" "${SEED[@]}" --temperature 550C --time 5h -o "$T/seed.nc" 2>/dev/null ||
    { echo "FAIL: gen"; exit 1; }

# 1. the window
"$W" --no-history --T-range 450C:800C --T-tol 5K --t-range 1h:2h --t-tol 10% \
    "$T/seed.nc" -o "$T/win.nc" 2>"$T/err"
check "window exit 0" "$?" 0
grep -q "1 films, 1 with a window" "$T/err" && ok "summary line" || bad "summary: $(cat "$T/err")"
check "no round file left in TMPDIR" "$(ls -A "$TMPDIR")" ""
"$BIN/exsol-table" --row 0 -v T_min_at_t,T_max_at_t "$T/win.nc" >"$T/per_t.tsv"
"$BIN/exsol-table" --row 0 -v t_min_at_T,t_max_at_T "$T/win.nc" >"$T/per_T.tsv"
"$BIN/exsol-table" -v window_status,n_evaluations,grid_evaluations,n_integrations \
    "$T/win.nc" | tail -1 >"$T/counts.tsv"
read -r status nev ngrid ninteg <"$T/counts.tsv"
check "seed has a window" "$status" 0
nt=$(($(wc -l <"$T/per_t.tsv") - 1))
nT=$(($(wc -l <"$T/per_T.tsv") - 1))
check "lattice 71 temperatures (450-800 C, 5 K)" "$nT" 71
check "grid_evaluations = 71 x time samples" "$ngrid" $((71 * nt))
holds "at most a fifth of the grid's evaluations ($nev of $ngrid)" "$nev" "v * 5 <= $ngrid"
holds "fewer integrations than the grid's 71 ($ninteg)" "$ninteg" "v < 71"

# 2. the brute grid of the chain on the same lattice (times as the window sampled them)
times=$(awk -F'\t' 'NR > 1 { printf "%s%.17gs", n++ ? "," : "", $1 }' "$T/per_t.tsv")
"$BIN/exsol-gen" "${SEED[@]}" --temperature 450C:800C:5C --time "$times" 2>/dev/null |
    "$BIN/exsol-reduce" -q | "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q |
    "$BIN/exsol-rank" -q --all --columns T_anneal,t_anneal,dual_switch >"$T/grid.tsv"
check "grid rows" "$(($(wc -l <"$T/grid.tsv") - 1))" $((71 * nt))
awk -F'\t' 'NR > 1 && $3 == 1' "$T/grid.tsv" | wc -l >"$T/ndual"
holds "the grid has dual-switch points" "$(cat "$T/ndual")" "v > 0"

# per time sample: lowest and highest switching T (grid vs window), within 5 K
cmp_t=$(awk -F'\t' -v tol=5 '
    function key(t,   k) { for (k in lo) if ((k - t)^2 < (1e-4 * t)^2) return k; return t }
    FNR == NR { if (FNR > 1 && $3 == 1) { k = key($2 + 0)
                    if (!(k in lo) || $1 < lo[k]) lo[k] = $1
                    if (!(k in hi) || $1 > hi[k]) hi[k] = $1 } next }
    FNR > 1 { k = key($1 + 0); n++
              if ($2 == "NA") { if (k in lo) bad++ } else if (!(k in lo)) bad++
              else if ((lo[k] - $2)^2 > tol^2 || (hi[k] - $3)^2 > tol^2) bad++ }
    END { print n + 0, bad + 0 }' "$T/grid.tsv" "$T/per_t.tsv")
check "T_min/T_max per time sample agree with the grid (samples, mismatches)" "$cmp_t" "$nt 0"
# per lattice temperature: shortest and longest switching time, within 10 %
cmp_T=$(awk -F'\t' -v r=1.1 '
    FNR == NR { if (FNR > 1 && $3 == 1) { k = sprintf("%.2f", $1)
                    if (!(k in lo) || $2 < lo[k]) lo[k] = $2
                    if (!(k in hi) || $2 > hi[k]) hi[k] = $2 } next }
    FNR > 1 { k = sprintf("%.2f", $1); n++
              if ($2 == "NA") { if (k in lo) bad++ } else if (!(k in lo)) bad++
              else if (lo[k] / $2 > r || $2 / lo[k] > r || hi[k] / $3 > r || $3 / hi[k] > r) bad++ }
    END { print n + 0, bad + 0 }' "$T/grid.tsv" "$T/per_T.tsv")
check "t_min/t_max per temperature agree with the grid (temperatures, mismatches)" "$cmp_T" \
    "71 0"

# 3. same bytes for any thread count
"$W" -q --no-history --threads 1 --T-range 450C:800C --t-range 1h:2h "$T/seed.nc" \
    -o "$T/win1.nc"
cmp -s "$T/win.nc" "$T/win1.nc" && ok "--threads 1 gives the same bytes" ||
    bad "--threads 1 output differs"

# the window reads stdin and writes CDF5 to a pipe like every stage (its header, with
# five tables of parameters, once tripped netCDF's in-memory open)
got=$("$W" -q --T-range 600C:800C --t-range 1h:2h <"$T/seed.nc" |
    "$BIN/exsol-table" -v T_window_min,t_at_T_window_min - | tail -1)
"$W" -q --T-range 600C:800C --t-range 1h:2h "$T/seed.nc" -o "$T/win-file.nc"
want=$("$BIN/exsol-table" -v T_window_min,t_at_T_window_min "$T/win-file.nc" | tail -1)
check "stdin -> window -> pipe -> exsol-table (as from the file)" "$got" "$want"

# 4. a film that never switches, next to the seed and a second anneal of the seed
"$BIN/exsol-gen" --composition La0.2Sr0.7Ni0.1Ti0.9O3 --composition La0.2Sr0.7TiO3 \
    --temperature 550C,700C --time 5h -o "$T/two.nc" 2>/dev/null
"$W" --T-range 500C:700C --t-range 1h:4h --t-tol 50% "$T/two.nc" -o "$T/two_w.nc" 2>"$T/err"
check "no window is not an error (exit 0)" "$?" 0
"$BIN/exsol-table" -v formula,window_status,input_row,window_reason "$T/two_w.nc" >"$T/two.tsv"
check "two films from four rows" "$(($(wc -l <"$T/two.tsv") - 1))" 2
row=$(awk -F'\t' '$1 == "La0.2Sr0.7TiO3"' "$T/two.tsv")
check "undoped film: status 1" "$(echo "$row" | cut -f2)" 1
check "undoped film: first input row" "$(echo "$row" | cut -f3)" 2
case "$(echo "$row" | cut -f4)" in
"no window: "*"rho ratio < min"*"not SPM at 300 K"*"no exsolution"*) ok "undoped film: reason" ;;
*) bad "undoped film reason: $(echo "$row" | cut -f4)" ;;
esac
grep -q "2 films, 1 with a window" "$T/err" && ok "summary counts the films" ||
    bad "summary: $(cat "$T/err")"

# a film gen flags infeasible (a tighter tolerance-factor window) has no window either,
# with gen's reason, not "a stage failed"
"$BIN/exsol-gen" -q --set t_max=1.0 --composition Ba0.9Ni0.1Ti0.9O3 --temperature 550C \
    --time 5h -o "$T/inf.nc"
"$W" -q --T-range 500C:600C --t-range 1h:2h --t-tol 100% "$T/inf.nc" -o "$T/inf_w.nc"
check "infeasible film: exit 0" "$?" 0
got=$("$BIN/exsol-table" -v window_status,window_reason "$T/inf_w.nc" | tail -1)
case "$got" in
"1	no window: structure infeasible (gen: "*) ok "infeasible film: status 1, gen's reason" ;;
*) bad "infeasible film: $got" ;;
esac

# 5. the limit flags carry CF flag_masks/flag_meanings
if command -v ncdump >/dev/null; then
    ncdump -h "$T/win.nc" | grep -q 'limit_T_low:flag_meanings = "structure_infeasible' &&
        ok "flag_meanings" || bad "limit_T_low has no flag_meanings"
fi
exit $fail
