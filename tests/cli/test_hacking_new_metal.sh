#!/usr/bin/env bash
# HACKING.md "Add a metal", followed to the letter on a copy of datasets/: a metal gen
# does not know is refused; after the recipe's rows (elements, Shannon radii, oxide
# line, metal record and its ions) the whole chain runs for it with nothing else
# changed. The rows are Ni's under the name Pd (test data, not Pd's real constants), so
# the chain must give Pd exactly Ni's numbers: proof that no stage keeps a Ni-only
# constant outside datasets/.
BIN=${EXSOL_BIN:?} SRC=${EXSOL_SRC:?}
. "$SRC/tests/cli/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-table
cp -r "$SRC/datasets" "$T/ds"
export EXSOL_DATADIR=$T/ds
gen() { "$BIN/exsol-gen" -q --no-history -c "La0.2Sr0.7${1}0.1Ti0.9O3" --temperature 550C \
        --time 5h --h2 5% --h2o 3% --thickness 30nm "${@:2}"; }
err=$(gen Pd -o "$T/x.nc" 2>&1); rc=$?
check "before the recipe, gen refuses the metal (exit 3)" "$rc" 3
case $err in *Pd*) ok "the message names it: $err" ;; *) bad "message without the metal: $err" ;; esac
# the recipe: one row per file, in the order HACKING.md gives
sed -i '/^Ni,B,/{p;s/^Ni,/Pd,/}' "$T/ds/elements.csv"
sed -i '/^Ni,/{p;s/^Ni,/Pd,/}' "$T/ds/shannon-radii.csv"
sed -i '/^Ni,2Ni + O2 = 2NiO,/{p;s/^Ni,/Pd,/}' "$T/ds/oxides.csv"
sed -i '/^Ni\(2+\|3+\)\?,/{p;s/^Ni/Pd/}' "$T/ds/metals.csv"
sed -i '/^\(host_gamma_rel\|gamma_interface_rel\|dE_a\|r_atom\)_Ni,/{p;s/_Ni,/_Pd,/}' "$T/ds/reduce-parameters.csv"
cols=dopant,reduce_status,transport_status,magnet_status,exsolved_fraction,surface_particle_density,surface_mean_diameter,buried_particle_density,log10_rho_ratio,M_300K_1T_pristine,M_300K_1T_reduced,T_B_median
chain() { gen "$1" | "$BIN/exsol-reduce" -q | "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q |
          "$BIN/exsol-table" -v "$cols" --no-header -; }
ni=$(chain Ni) pd=$(chain Pd)
check "the new metal's row runs through every stage with status 0" \
      "$(echo "$pd" | cut -f2-4)" "$(printf '0\t0\t0')"
check "with Ni's data under its name, the new metal gets Ni's numbers exactly" \
      "$(echo "$pd" | cut -f2-)" "$(echo "$ni" | cut -f2-)"
exit $fail
