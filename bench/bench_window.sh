#!/bin/bash
# exsol-window against the brute grid of the chain (not a test; issue #17's figure):
#   bench/bench_window.sh [BUILD_DIR]
#   COMPOSITIONS="La0.2Sr0.7Ni0.1Ti0.9O3 La0.2Sr0.7Co0.1Ti0.9O3" bench/bench_window.sh
# For each composition (30 nm, 5 % H2 + 3 % H2O): the window's search rounds,
# integrations and (T, t) evaluations against the grid on the same lattice (the
# defaults: 450-1000 C at 5 K x 0.1-100 h at 10 %, i.e. 111 x 74 points, one
# integration per temperature), the share of the grid's evaluations it used, and how
# many time samples (lowest/highest switching T) and temperatures (shortest/longest
# switching t) disagree with the grid, with where. Wall times of both on the side.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
BIN=$BUILD/bin
export HDF5_PLUGIN_PATH=$BUILD/hdf5-plugin LC_ALL=C
COMPOSITIONS=${COMPOSITIONS:-"La0.2Sr0.7Ni0.1Ti0.9O3 La0.2Sr0.7Co0.1Ti0.9O3 La0.2Sr0.7Fe0.1Ti0.9O3 La0.2Sr0.7Cu0.1Ti0.9O3 La0.2Sr0.7TiO3"}
T_RANGE=${T_RANGE:-450C:1000C}   # searched at 5 K (--T-tol 5K) and gridded at 5 K
WINDOW_ARGS=${WINDOW_ARGS:-}    # more exsol-window options, e.g. --refine-reasons or --T-step 20K
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
now() { date +%s.%N; }
GAS=(--h2 5% --h2o 3% --thickness 30nm)
comp=()
for c in $COMPOSITIONS; do comp+=(--composition "$c"); done

"$BIN/exsol-gen" -q "${comp[@]}" "${GAS[@]}" --temperature 550C --time 5h -o "$T/films.nc"
t0=$(now)
# shellcheck disable=SC2086 # T_RANGE_ARGS: words
"$BIN/exsol-window" -q --T-range "$T_RANGE" --T-tol 5K $WINDOW_ARGS "$T/films.nc" \
    -o "$T/window.nc"
t1=$(now)
"$BIN/exsol-table" --row 0 -v T_min_at_t "$T/window.nc" >"$T/t_window.tsv"
times=$(awk -F'\t' 'NR > 1 { printf "%s%.17gs", n++ ? "," : "", $1 }' "$T/t_window.tsv")
Tr=${T_RANGE/:/:}:5K
"$BIN/exsol-gen" -q "${comp[@]}" "${GAS[@]}" --temperature "$Tr" --time "$times" |
    "$BIN/exsol-reduce" -q | "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q |
    "$BIN/exsol-rank" -q --all --columns formula,T_anneal,t_anneal,dual_switch >"$T/grid.tsv"
t2=$(now)

printf '%-24s %6s %6s %7s %6s %7s %7s %9s %9s  %s\n' composition rounds integ evals \
    g.integ g.evals evals% t-mismatch T-mismatch window
row=0
for c in $COMPOSITIONS; do
    "$BIN/exsol-table" --row $row -v T_min_at_t,T_max_at_t "$T/window.nc" >"$T/per_t.tsv"
    "$BIN/exsol-table" --row $row -v t_min_at_T,t_max_at_T "$T/window.nc" >"$T/per_T.tsv"
    read -r rounds integ evals gevals reason < <("$BIN/exsol-table" \
        -v n_rounds,n_integrations,n_evaluations,grid_evaluations,window_reason "$T/window.nc" |
        awk -F'\t' -v r=$((row + 2)) 'NR == r { print $1, $2, $3, $4, $5 }')
    nT=$(($(wc -l <"$T/per_T.tsv") - 1))
    awk -F'\t' -v c="$c" 'NR > 1 && $1 == c { print $2 "\t" $3 "\t" $4 }' "$T/grid.tsv" \
        >"$T/g.tsv"
    mt=$(awk -F'\t' '
        function key(t,   k) { for (k in all) if ((k - t)^2 < (1e-4 * t)^2) return k; return t }
        FNR == NR { k = key($2 + 0); all[k] = 1
                    if ($3 == 1) { if (!(k in lo) || $1 < lo[k]) lo[k] = $1
                                   if (!(k in hi) || $1 > hi[k]) hi[k] = $1 } next }
        FNR > 1 { k = key($1 + 0); g = (k in lo) ? lo[k] "-" hi[k] : "NA"
                  w = $2 == "NA" ? "NA" : $2 "-" $3
                  if (g != w) { bad++; if (bad <= 2) where = where sprintf(" %.2gh:grid %s/window %s", $1 / 3600, g, w) } }
        END { print bad + 0 where }' "$T/g.tsv" "$T/per_t.tsv")
    mT=$(awk -F'\t' '
        FNR == NR { k = sprintf("%.2f", $1)
                    if ($3 == 1) { if (!(k in lo) || $2 < lo[k]) lo[k] = $2
                                   if (!(k in hi) || $2 > hi[k]) hi[k] = $2 } next }
        FNR > 1 { k = sprintf("%.2f", $1); g = (k in lo) ? lo[k] "-" hi[k] : "NA"
                  w = $2 == "NA" ? "NA" : $2 "-" $3
                  if (g == "NA" || w == "NA") { if (g != w) bad++ }
                  else { split(g, a, "-"); if (a[1] / $2 > 1.001 || $2 / a[1] > 1.001 || a[2] / $3 > 1.001 || $3 / a[2] > 1.001) bad++ } }
        END { print bad + 0 }' "$T/g.tsv" "$T/per_T.tsv")
    printf '%-24s %6s %6s %7s %6s %7s %6.1f%% %9s %9s  %s\n' "$c" "$rounds" "$integ" \
        "$evals" "$nT" "$gevals" "$(awk -v a="$evals" -v b="$gevals" 'BEGIN { print 100 * a / b }')" \
        "${mt%% *}" "$mT" "$reason"
    [ "${mt#* }" != "$mt" ] && echo "    per-t disagreements:${mt#* }"
    row=$((row + 1))
done
printf 'wall: window %.1f s for %d films; grid through the chain %.1f s\n' \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$row" \
    "$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')"
