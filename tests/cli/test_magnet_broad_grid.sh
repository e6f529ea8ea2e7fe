#!/bin/bash
# Issue #12, defects 1 and 3, across the broad grid (tests/cli/magnet/broad_grid.cfg:
# Ni, Co, Fe, Cu; z 0.02/0.2; a 0/0.15; with and without La; wet and dry 5 % H2;
# 500/700/800/950 C; 0.5/50 h; plus La0.2Sr0.7Ni0.2Ti0.8O3: 528 rows) through the whole chain:
#  - conservation: the reduced film's M(300 K, 1 T) never exceeds the saturated metal
#    it holds, M_s(300 K)·phi (phi = reduce's metal_volume_fraction, M_s from the
#    Kuz'min form of datasets/metals.csv), plus the ion Curie bound of the dopant left
#    in the lattice and the host's chi H: one cap geometry in reduce and magnet;
#  - the verdict is the seed's claim: no dual_switch without insulating_pristine and
#    metallic_reduced (as transport writes them) and spm_300K_reduced.
# EXSOL_BIN may point at another build (e.g. /work/main/build/bin) to see the defects.
set -u
BIN=${EXSOL_BIN:?}
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-table

"$BIN/exsol-gen" -q --grid "$SRC/tests/cli/magnet/broad_grid.cfg" | "$BIN/exsol-reduce" -q |
    "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q | "$BIN/exsol-rank" -q -o "$T/rank.nc"
check "chain exit" "${PIPESTATUS[*]}" "0 0 0 0 0"
"$BIN/exsol-table" -q -v dopant,dopant_valence,dopant_fraction_lattice,metal_volume_fraction,M_300K_1T_reduced,magnet_status "$T/rank.nc" >"$T/m.tsv"
check "528 rows" "$(($(wc -l <"$T/m.tsv") - 1))" "528"

# ceiling per row; metals.csv gives Ms_0K (kA/m), T_C, kuzmin_s/p and ion mu_eff
awk -F'\t' -v cell=59.547e-30 -v chi=-2.1e-5 '
    FNR == NR { gsub(/"[^"]*"/, ""); split($0, c, ","); v[c[1] "," c[2]] = c[3]; next }
    FNR == 1 { next }
    $6 != 0 || $5 == "NA" { next }
    {
        mu0 = 4e-7 * 3.141592653589793; muB = 9.2740100783e-24; kB = 1.380649e-23
        T = 300; H = 1 / mu0; ms = 0
        if (v[$1 ",magnetic"] == 1) {
            tau = T / v[$1 ",T_C"]; s = v[$1 ",kuzmin_s"]; p = v[$1 ",kuzmin_p"]
            x = 1 - s * tau ^ 1.5 - (1 - s) * tau ^ p
            ms = 1e3 * v[$1 ",Ms_0K"] * (x > 0 ? x ^ (1 / 3) : 0)
        }
        mu = v[$1 $2 "+,mu_eff"] * muB
        ion = $3 / cell * mu * mu * 1 / (3 * kB * T)
        ceil = ms * $4 + ion + chi * H
        n++
        if ($5 > ceil + 1e-9 * (ceil < 0 ? -ceil : ceil) + 1e-6) {
            nv++; r = $5 / (ceil > 0 ? ceil : 1e-300)
            if (r > worst) { worst = r; wrow = FNR - 2 }
        }
    }
    END { printf "%d %d %.4g %d\n", n, nv, worst, wrow }' "$SRC/datasets/metals.csv" "$T/m.tsv" >"$T/cons"
read -r nrows nviol worst wrow <"$T/cons"
echo "info: $nrows rows with a magnet result, $nviol above M_s(300 K)·phi + ions + host (worst ${worst}x, row $wrow)"
holds "rows with a magnet result" "$nrows" "v >= 300"
check "magnetisation within M_s(300 K)·phi + ion + host in every row" "$nviol" "0"

"$BIN/exsol-table" -q -v dual_switch,insulating_pristine,metallic_reduced,spm_300K_reduced "$T/rank.nc" >"$T/d.tsv"
read -r ndual nbad <<<"$(awk -F'\t' 'NR > 1 && $1 == 1 { n++; if ($2 != 1 || $3 != 1 || $4 != 1) b++ }
    END { print n + 0, b + 0 }' "$T/d.tsv")"
echo "info: $ndual dual switches, $nbad without insulating_pristine, metallic_reduced and spm"
check "no dual_switch without insulating_pristine, metallic_reduced and spm_300K_reduced" "$nbad" "0"

# every row of status 0 has an exsolved fraction in [0, 1] (surface and buried together)
"$BIN/exsol-table" -q -v exsolved_fraction,reduce_status "$T/rank.nc" >"$T/f.tsv"
read -r nok nout <<<"$(awk -F'\t' 'NR > 1 && $2 == 0 { n++; if (!($1 >= 0 && $1 <= 1)) b++ }
    END { print n + 0, b + 0 }' "$T/f.tsv")"
echo "info: $nok rows of reduce_status 0, $nout with exsolved_fraction outside [0, 1]"
holds "rows of reduce_status 0" "$nok" "v >= 500"
check "exsolved_fraction in [0, 1] in every ok row" "$nout" "0"
exit $fail
