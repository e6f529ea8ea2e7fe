#!/bin/bash
# Epitaxial strain through the CLI (gen --substrate / --strain, the grid keys, reduce's
# elastic term; docs/sources.md#bu §5):
# 1. without a substrate gen writes no strain variables (the strain-free screen, as before);
#    --strain 0 gives reduce the strain-free numbers exactly;
# 2. --substrate LaAlO3,SrTiO3,DyScO3 on the seed (30 nm, 550 C, 5 h, 5 % H2 + 3 % H2O):
#    misfits -2.9 %, 0, +1.0 % on a 3.905 A film, rows ordered fastest by substrate; the
#    compressive film has more, smaller surface particles than the tensile one (Han et al.);
#    --set strain_eta=0 makes them equal; -1% and -0.01 are one strain;
# the window search carries the strain: two films, the compressive one opens cooler
if [ -x "$BIN/exsol-window" ]; then
    "$G" "${SEED[@]}" --substrate LaAlO3,DyScO3 -o "$T/wg.nc" || bad "gen for the window"
    "$BIN/exsol-window" -q --no-history -o "$T/w.nc" "$T/wg.nc" || bad "exsol-window on strained films"
    tab T_window_min "$T/w.nc" >"$T/w"
    check "window: one film per substrate" "$(wc -l <"$T/w")" "2"
    awk 'NR == 1 {a = $1} NR == 2 {b = $1} END {exit !(a < b)}' "$T/w" \
        && ok "window: LaAlO3 switches at a lower T than DyScO3" || bad "window T_min: $(cat "$T/w" | tr '\n' ' ')"
fi

# a missing strain (fill value) is that row's reason, not a strain-free row
if command -v ncap2 >/dev/null; then
    "$G" "${SEED[@]}" --compression deflate --strain -1%,1% -o "$T/n.nc" || bad "gen for ncap2"
    ncap2 -O -s 'misfit_strain(1)=misfit_strain@_FillValue' "$T/n.nc" "$T/n2.nc" 2>/dev/null || bad "ncap2"
    "$BIN/exsol-reduce" -q --no-history -o "$T/n2.r.nc" "$T/n2.nc" || bad "reduce with a missing strain"
    check "missing misfit_strain: status 2, named" "$(tab reduce_status,reduce_reason "$T/n2.r.nc" | sed -n 2p)" \
        "$(printf '2\tmisfit_strain is missing (fill value or NaN)')"
fi

# 3. errors: an unknown substrate (exit 3, one line naming it, no output), --substrate with
#    --strain (exit 2), a strain out of range (exit 3), a repeated grid key, MgO warns;
# 4. the grid keys substrate and strain, a flag overriding them; --help documents both;
# exsol-window runs the strained films (the compressive one switches at a lower T).
set -u
BIN=${EXSOL_BIN:?}
G="$BIN/exsol-gen"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-table
SEED=(-q --no-history -c La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h)
tab() { "$BIN/exsol-table" -v "$1" "$2" 2>/dev/null | tail -n +2; }

# 1. strain-free
"$G" "${SEED[@]}" -o "$T/free.nc" || bad "gen without substrate"
for v in substrate misfit_strain film_lattice_parameter substrate_lattice_parameter; do
    ncdump -h "$T/free.nc" | grep -q "[ \t]$v(" && bad "strain-free gen file has $v" || ok "no $v without a substrate"
done
"$G" "${SEED[@]}" --strain 0 -o "$T/zero.nc" || bad "gen --strain 0"
check "--strain 0: misfit_strain 0" "$(tab misfit_strain "$T/zero.nc")" "0"
"$BIN/exsol-reduce" -q --no-history -o "$T/free.r.nc" "$T/free.nc" || bad "reduce strain-free"
"$BIN/exsol-reduce" -q --no-history -o "$T/zero.r.nc" "$T/zero.nc" || bad "reduce strain 0"
V=exsolved_fraction,surface_particle_density,surface_mean_diameter,buried_particle_density,delta_reduced
ncdump -h "$T/free.r.nc" | grep -q "[ \t]strain_dmu(" && bad "strain-free reduce file has strain_dmu" || ok "no strain_dmu without a strain"
check "--strain 0: strain_dmu 0" "$(tab strain_dmu "$T/zero.r.nc")" "0"
check "strain 0 = no substrate (reduce)" "$(tab $V "$T/zero.r.nc")" "$(tab $V "$T/free.r.nc")"

# 2. three substrates
"$G" "${SEED[@]}" --substrate LaAlO3,SrTiO3,DyScO3 -o "$T/sub.nc" || bad "gen --substrate"
check "substrates in row order" "$(tab substrate "$T/sub.nc" | tr '\n' ' ')" "LaAlO3 SrTiO3 DyScO3 "
tab misfit_strain,film_lattice_parameter,substrate_lattice_parameter "$T/sub.nc" >"$T/eps"
holds "LaAlO3 misfit -2.9 %" "$(sed -n 1p "$T/eps" | cut -f1)" 'v > -0.0300 && v < -0.0290'
holds "SrTiO3 misfit 0" "$(sed -n 2p "$T/eps" | cut -f1)" 'v == 0'
holds "DyScO3 misfit +1.0 %" "$(sed -n 3p "$T/eps" | cut -f1)" 'v > 0.0095 && v < 0.0105'
holds "film a = 3.905 A" "$(sed -n 1p "$T/eps" | cut -f2)" 'v > 3.9049e-10 && v < 3.9051e-10'
holds "LaAlO3 a = 3.790 A" "$(sed -n 1p "$T/eps" | cut -f3)" 'v > 3.7899e-10 && v < 3.7901e-10'
"$BIN/exsol-reduce" -q --no-history -o "$T/sub.r.nc" "$T/sub.nc" || bad "reduce substrates"
tab reduce_status,surface_particle_density,surface_mean_diameter "$T/sub.r.nc" >"$T/r"
awk -F'\t' '$1 != 0 {b=1} END {exit b}' "$T/r" && ok "status 0 on every substrate" || bad "status"
tab strain_dmu "$T/sub.r.nc" >"$T/dmu"
awk 'NR == 1 && !($1 < 0) {b=1} NR == 2 && $1 != 0 {b=1} NR == 3 && !($1 > 0) {b=1} END {exit b}' "$T/dmu" \
    && ok "strain_dmu: < 0 compressive, 0, > 0 tensile" || bad "strain_dmu $(tr '\n' ' ' <"$T/dmu")"
nL=$(sed -n 1p "$T/r" | cut -f2); nS=$(sed -n 2p "$T/r" | cut -f2); nD=$(sed -n 3p "$T/r" | cut -f2)
dL=$(sed -n 1p "$T/r" | cut -f3); dS=$(sed -n 2p "$T/r" | cut -f3); dD=$(sed -n 3p "$T/r" | cut -f3)
echo "seed: LaAlO3 $nL m-2 $dL m; SrTiO3 $nS m-2 $dS m; DyScO3 $nD m-2 $dD m"
awk -v a="$nL" -v b="$nS" -v c="$nD" 'BEGIN {exit !(a > b && b > c)}' \
    && ok "density: compressive LaAlO3 > SrTiO3 > tensile DyScO3" || bad "density order $nL $nS $nD"
awk -v a="$dL" -v b="$dS" -v c="$dD" 'BEGIN {exit !(a < b && b < c)}' \
    && ok "diameter: compressive LaAlO3 < SrTiO3 < tensile DyScO3" || bad "diameter order $dL $dS $dD"
check "SrTiO3 row = strain-free seed" "$(sed -n 2p "$T/r" | cut -f2,3)" \
    "$(tab surface_particle_density,surface_mean_diameter "$T/free.r.nc")"
"$BIN/exsol-reduce" -q --no-history --set strain_eta=0 -o "$T/blind.nc" "$T/sub.nc" || bad "reduce eta 0"
check "strain_eta=0: strain-blind" "$(tab surface_particle_density "$T/blind.nc" | sort -u | wc -l)" "1"
"$G" "${SEED[@]}" --strain=-1%,1% -o "$T/pm.nc" || bad "gen --strain -1%,1%"
check "-1% is -0.01" "$(tab misfit_strain "$T/pm.nc" | tr '\n' ' ')" "-0.01 0.01 "
check "--strain: substrate empty" "$(tab substrate "$T/pm.nc" | tr -d '\n')" ""

# the window search carries the strain: two films, the compressive one opens cooler
if [ -x "$BIN/exsol-window" ]; then
    "$G" "${SEED[@]}" --substrate LaAlO3,DyScO3 -o "$T/wg.nc" || bad "gen for the window"
    "$BIN/exsol-window" -q --no-history -o "$T/w.nc" "$T/wg.nc" || bad "exsol-window on strained films"
    tab T_window_min "$T/w.nc" >"$T/w"
    check "window: one film per substrate" "$(wc -l <"$T/w")" "2"
    awk 'NR == 1 {a = $1} NR == 2 {b = $1} END {exit !(a < b)}' "$T/w" \
        && ok "window: LaAlO3 switches at a lower T than DyScO3" || bad "window T_min: $(cat "$T/w" | tr '\n' ' ')"
fi

# a missing strain (fill value) is that row's reason, not a strain-free row
if command -v ncap2 >/dev/null; then
    "$G" "${SEED[@]}" --compression deflate --strain -1%,1% -o "$T/n.nc" || bad "gen for ncap2"
    ncap2 -O -s 'misfit_strain(1)=misfit_strain@_FillValue' "$T/n.nc" "$T/n2.nc" 2>/dev/null || bad "ncap2"
    "$BIN/exsol-reduce" -q --no-history -o "$T/n2.r.nc" "$T/n2.nc" || bad "reduce with a missing strain"
    check "missing misfit_strain: status 2, named" "$(tab reduce_status,reduce_reason "$T/n2.r.nc" | sed -n 2p)" \
        "$(printf '2\tmisfit_strain is missing (fill value or NaN)')"
fi

# 3. errors
rm -f "$T/x.nc"
"$G" "${SEED[@]}" --substrate LaAlO3,Unobtainium -o "$T/x.nc" 2>"$T/err"; rc=$?
check "unknown substrate: exit 3" "$rc" "3"
check "unknown substrate: one line" "$(wc -l <"$T/err")" "1"
grep -q "unknown substrate 'Unobtainium' (known: SrTiO3, LaAlO3" "$T/err" && ok "names it and the known ones" || bad "message: $(cat "$T/err")"
[ -e "$T/x.nc" ] && bad "output written on error" || ok "no output on error"
"$G" "${SEED[@]}" --substrate LaAlO3 --strain 1% -o "$T/x.nc" 2>"$T/err"; check "--substrate with --strain: exit 2" "$?" "2"
grep -q "not both" "$T/err" && ok "says not both" || bad "message: $(cat "$T/err")"
"$G" "${SEED[@]}" --strain 30% -o "$T/x.nc" 2>"$T/err"; check "--strain 30%: exit 3" "$?" "3"
"$G" "${SEED[@]}" --strain 1nm -o "$T/x.nc" 2>"$T/err"; check "--strain 1nm: exit 3" "$?" "3"
"$G" "${SEED[@]}" --substrate LaAlO3 --substrate DyScO3 -o "$T/x.nc" 2>"$T/err"; check "--substrate twice: exit 2" "$?" "2"
"$G" --no-history -c La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h --substrate MgO \
    -o "$T/mgo.nc" 2>"$T/err" || bad "gen on MgO"
grep -q "warning: .*MgO: misfit strain +7.86 % taken as coherent" "$T/err" && ok "MgO warns (relaxed film)" || bad "no MgO warning: $(cat "$T/err")"

# 4. grid keys
printf 'include_formula = La0.2Sr0.7Ni0.1Ti0.9O3\ntemperature = 550C\ntime = 5h\nsubstrate = LaAlO3, DyScO3\n' >"$T/g.cfg"
"$G" -q --no-history --grid "$T/g.cfg" -o "$T/g.nc" || bad "grid substrate"
check "grid substrate key" "$(tab substrate "$T/g.nc" | tr '\n' ' ')" "LaAlO3 DyScO3 "
"$G" -q --no-history --grid "$T/g.cfg" --strain -0.5% -o "$T/g2.nc" || bad "grid + --strain"
check "--strain overrides the grid's substrate" "$(tab misfit_strain "$T/g2.nc")" "-0.005"
printf 'include_formula = La0.2Sr0.7Ni0.1Ti0.9O3\ntemperature = 550C\ntime = 5h\nstrain = 1%%\nsubstrate = LaAlO3\n' >"$T/b.cfg"
"$G" -q --no-history --grid "$T/b.cfg" -o "$T/x.nc" 2>"$T/err"; check "grid strain + substrate: exit 3" "$?" "3"
grep -q "b.cfg:5: give substrate or strain, not both" "$T/err" && ok "names the line" || bad "message: $(cat "$T/err")"
printf 'include_formula = La0.2Sr0.7Ni0.1Ti0.9O3\ntemperature = 550C\ntime = 5h\nsubstrate = Foo\n' >"$T/u.cfg"
"$G" -q --no-history --grid "$T/u.cfg" -o "$T/x.nc" 2>"$T/err"; check "grid unknown substrate: exit 3" "$?" "3"
grep -q "u.cfg:4: substrate: unknown substrate 'Foo'" "$T/err" && ok "grid error names file, line, substrate" || bad "message: $(cat "$T/err")"
# 5. the film's lattice is its host's: a CaTiO3 film (a = 3.824 A) on LaAlO3 (3.790 A)
# is far less compressed than the SrTiO3 seed (3.905 A); a mixed Sr/Ca A site lies between
# (its Vegard volume, the lattice reduce and transport use)
"$G" -q --no-history --composition La0.2Ca0.7Ni0.1Ti0.9O3 --composition La0.2Sr0.35Ca0.35Ni0.1Ti0.9O3 \
    --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h --substrate LaAlO3 \
    -o "$T/hosts.nc" || bad "hosts on LaAlO3"
read -r eCa eMix eSr <<<"$(tab misfit_strain "$T/hosts.nc" | tr '\n' ' ')"
holds "CaTiO3 film on LaAlO3: (3.790 - 3.824)/3.824" "$eCa" "v > -0.00890 && v < -0.00888"
holds "SrTiO3 seed on LaAlO3: (3.790 - 3.905)/3.905" "$eSr" "v > -0.02946 && v < -0.02944"
holds "mixed Sr/Ca A site between the two" "$eMix" "v > $eSr && v < $eCa"
"$G" --help >"$T/help" 2>&1
grep -q -- "--substrate S" "$T/help" && grep -q -- "--strain EPS" "$T/help" && ok "--help documents --substrate and --strain" || bad "--help"
exit $fail
