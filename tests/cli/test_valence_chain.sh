#!/bin/bash
# The dissolved dopant's valence follows from the gas (issue #12, defect 4), through
# the real tools: La0.2Sr0.7Fe0.1Ti0.9O3 labelled Fe3+ (the default) or Fe2+ (--valence
# Fe=2) gives the same x_eq, exsolved fraction, particles and dopant_valence_anneal in
# 5 % H2 at 800 C, dry (100 ppm H2O, exsolves) and wet (3 %, does not); the Ni3+-labelled
# seed at 550 C gets the Ni2+ seed's particles (Ni has no Ni3+ state at the anneal).
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-table
cols=x_eq_dopant,exsolved_fraction,surface_particle_density,surface_mean_diameter
red() { "$BIN/exsol-gen" -q --no-history "$@" | "$BIN/exsol-reduce" -q --no-history |
        "$BIN/exsol-table" --no-header -v "$cols" -; }
fe=(-c La0.2Sr0.7Fe0.1Ti0.9O3 --temperature 800C --time 5h --h2 5% --h2o 100ppm,3%)
a=$(red "${fe[@]}") b=$(red "${fe[@]}" --valence Fe=2)
echo "$a"
echo "$b"
check "Fe3+ and Fe2+ labels: same x_eq" "$(echo "$a" | cut -f1)" "$(echo "$b" | cut -f1)"
paste <(echo "$a") <(echo "$b") | awk -F'\t' '{ for (k = 2; k <= 4; k++) if ($k != "NA" ||
    $(k + 4) != "NA") { d = $k - $(k + 4); if (d < 0) d = -d; m = ($k > 0 ? $k : -$k);
    if (d > 1e-3 * m + 1e-12) bad = 1 } } END { exit bad }' &&
    ok "Fe3+ and Fe2+ labels: same f, density and size within 1e-3" ||
    bad "Fe3+ and Fe2+ labels give different reduced states"
holds "dry: Fe exsolves" "$(echo "$a" | sed -n 1p | cut -f2)" "v > 0.5"
holds "wet: Fe does not" "$(echo "$a" | sed -n 2p | cut -f2)" "v == 0"
v=$("$BIN/exsol-gen" -q --no-history "${fe[@]}" | "$BIN/exsol-reduce" -q --no-history |
    "$BIN/exsol-table" --no-header -v dopant_valence_anneal -)
holds "dry: dissolved Fe is Fe2+ at the anneal" "$(echo "$v" | sed -n 1p)" "v > 2 && v < 2.02"
holds "wet: some Fe3+ (about 9 %)" "$(echo "$v" | sed -n 2p)" "v > 2.05 && v < 2.15"
ni=(-c La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h)
n2=$(red "${ni[@]}") n3=$(red "${ni[@]}" --valence Ni=3)
check "Ni3+ label: the Ni2+ seed's x_eq" "$(echo "$n3" | cut -f1)" "$(echo "$n2" | cut -f1)"
holds "Ni3+ label: particles of the seed (~5 nm), not 1.5 nm clusters" \
    "$(echo "$n3" | cut -f4)" "v > 4e-9 && v < 6e-9"
exit $fail
