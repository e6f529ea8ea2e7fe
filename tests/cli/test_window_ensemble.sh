#!/bin/bash
# exsol-window's ensemble form (issue #17 with #14's members): a point of the T-t plane
# switches when at least --p-min of the members give exsol-rank's dual switch. Checked
# on the seed La0.2Sr0.7Ni0.1Ti0.9O3 (30 nm, 5 % H2 + 3 % H2O, 500-700 C, 1-2 h):
#  - one member at the registry's values gives the deterministic window, P = 1 there;
#  - with 8 drawn members, exsol-ensemble (the same members: same --members and --seed)
#    at the window's lowest point gives the P the window reports, >= p_min, and one
#    lattice step below it P < p_min (the boundary is where the probability crosses);
#  - a lower threshold gives a window that contains the higher one's; a threshold above
#    every point's P gives "no window" with the reason and exit 0; the undoped film is
#    "no window" with P_dual_max = 0 (far from every threshold);
#  - 1 and 2 threads give the same bytes.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-table exsol-window exsol-ensemble
W="$BIN/exsol-window"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
LAT=(--T-range 500C:700C --t-range 1h:2h)
gen() { "$BIN/exsol-gen" --composition "$1" --temperature "$2" --time "$3" --h2 5% --h2o 3% \
    --thickness 30nm -o "$4" 2>/dev/null || bad "gen $1 $2 $3"; }
col() { "$BIN/exsol-table" -v "$1" "$2" | tail -1; }
gen La0.2Sr0.7Ni0.1Ti0.9O3 550C 5h "$T/seed.nc"

# one member at the table values = the deterministic search
"$W" -q --no-history "${LAT[@]}" "$T/seed.nc" -o "$T/det.nc" || bad "deterministic run"
printf 'member\n0\n' >"$T/one.tsv"
"$W" -q --no-history "${LAT[@]}" --ensemble "$T/one.tsv" "$T/seed.nc" -o "$T/one.nc" ||
    bad "one-member run"
V=window_status,T_window_min,t_at_T_window_min,T_window_max,t_window_min,t_window_max
check "one member at the table values: the deterministic window" "$(col $V "$T/one.nc")" \
    "$(col $V "$T/det.nc")"
check "one member: P at the window's lowest point" "$(col P_dual_at_T_window_min "$T/one.nc")" 1

# eight drawn members, 1 and 2 threads
"$W" -q --no-history --threads 1 "${LAT[@]}" --members 8 --seed 1 "$T/seed.nc" -o "$T/e1.nc"
check "ensemble run exit 0" "$?" 0
"$W" -q --no-history --threads 2 "${LAT[@]}" --members 8 --seed 1 "$T/seed.nc" -o "$T/e2.nc"
cmp -s "$T/e1.nc" "$T/e2.nc" && ok "1 and 2 threads: same bytes" || bad "thread count moves bytes"
check "no round file left in TMPDIR" "$(ls -A "$TMPDIR")" ""
read -r st Tmin tmin P Plow < <(col window_status,T_window_min,t_at_T_window_min,P_dual_at_T_window_min,limit_T_low "$T/e1.nc")
check "seed: a window at P(dual) >= 0.5" "$st" 0
holds "P at the lowest point >= 0.5 ($P)" "$P" "v >= 0.5 && v <= 1"
holds "the limit below names the threshold (bit 2^23 in $Plow)" "$Plow" \
    "int(v / 8388608) % 2 == 1"
# the same members through exsol-ensemble at that point and one step (5 K) below
p_at() { # P_dual of the seed at (T K, t s) under --members 8 --seed 1
    gen La0.2Sr0.7Ni0.1Ti0.9O3 "$1K" "$2s" "$T/pt.nc"
    "$BIN/exsol-ensemble" -q --members 8 --seed 1 "$T/pt.nc" | awk -F'\t' 'NR == 2 { print $9 }'
}
check "exsol-ensemble at the window's lowest point gives its P" "$(p_at "$Tmin" "$tmin")" "$P"
below=$(awk -v t="$Tmin" 'BEGIN { printf "%.2f", t - 5 }')
if awk -v t="$below" 'BEGIN { exit !(t >= 773.15) }'; then
    holds "one step below the window P < 0.5" "$(p_at "$below" "$tmin")" "v < 0.5"
fi

# thresholds: a lower one contains the window, one above every P closes it
"$W" -q --no-history "${LAT[@]}" --members 8 --seed 1 --p-min 0.25 "$T/seed.nc" -o "$T/lo.nc"
read -r Tmin25 Tmax25 < <(col T_window_min,T_window_max "$T/lo.nc")
read -r Tmax50 Pmax < <(col T_window_max,P_dual_max "$T/e1.nc")
holds "p 0.25 starts no higher ($Tmin25 <= $Tmin)" "$Tmin25" "v <= $Tmin"
holds "p 0.25 ends no lower ($Tmax25 >= $Tmax50)" "$Tmax25" "v >= $Tmax50"
pover=$(awk -v p="$Pmax" 'BEGIN { printf "%.3g", p + 0.01 }')
"$W" -q --no-history "${LAT[@]}" --members 8 --seed 1 --p-min "$pover" "$T/seed.nc" -o "$T/hi.nc"
check "a threshold above every P: exit 0" "$?" 0
check "a threshold above every P: no window" "$(col window_status "$T/hi.nc")" 1
col window_reason "$T/hi.nc" | grep -q "^no window with P(dual) >= $pover: .*P(dual) < p" &&
    ok "its reason names the threshold" || bad "reason: $(col window_reason "$T/hi.nc")"

# a posterior of exsol-fit is an ensemble too (a short run: 8 walkers x 20 steps)
if [ -x "$BIN/exsol-fit" ]; then
    (cd "$T" && "$BIN/exsol-fit" -q --walkers 8 --steps 20 --thin 5 -o post.nc) ||
        bad "exsol-fit short run"
    "$W" -q --no-history "${LAT[@]}" --ensemble "$T/post.nc" "$T/seed.nc" -o "$T/post.win.nc"
    check "window under a posterior: exit 0" "$?" 0
    holds "posterior members: P_dual_max in [0, 1] ($(col P_dual_max "$T/post.win.nc"))" \
        "$(col P_dual_max "$T/post.win.nc")" "v >= 0 && v <= 1"
fi

# far from every threshold: the undoped film never switches under any member
gen La0.2Sr0.7TiO3 550C 5h "$T/undoped.nc"
"$W" -q --no-history "${LAT[@]}" --members 8 --seed 1 "$T/undoped.nc" -o "$T/u.nc"
check "undoped: exit 0" "$?" 0
check "undoped: no window, P_dual_max 0" "$(col window_status,P_dual_max "$T/u.nc")" "1	0"
if command -v ncdump >/dev/null; then
    ncdump -h "$T/e1.nc" | grep -q ':window_p_min = 0.5 ;' && ok "threshold attribute" ||
        bad "no window_p_min attribute"
    check "no ensemble variables without members" \
        "$(ncdump -h "$T/det.nc" | grep -c 'P_dual\|window_p_min\|window_members')" 0
fi
exit $fail
