#!/bin/bash
# recipes/scripts/anchor_weights.py: the prior members weighted by the fit anchors of
# datasets/anchors.csv and resampled; the result is a member file of N members, each a
# prior member (the same --members/--seed draw), that exsol-ensemble --ensemble takes;
# the same command gives the same bytes.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-ensemble
[ -x /usr/bin/python3 ] || { echo "skip: no /usr/bin/python3"; exit 77; }
S="$SRC/recipes/scripts/anchor_weights.py"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
/usr/bin/python3 "$S" --members 8 --seed 2 --bin "$BIN" -o "$T/post.tsv" 2>"$T/err" ||
    bad "anchor_weights runs: $(cat "$T/err")"
grep -q 'effective sample size' "$T/err" && ok "prints the effective sample size" ||
    bad "no ESS line"
check "8 members" "$(($(wc -l <"$T/post.tsv") - 1))" 8
"$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h \
    -o "$T/g.nc" || bad "gen"
"$BIN/exsol-ensemble" -q --members 8 --seed 2 --write-members "$T/prior.tsv" -o /dev/null \
    "$T/g.nc" || bad "prior members"
check "same columns as the prior" "$(head -1 "$T/post.tsv")" "$(head -1 "$T/prior.tsv")"
cut -f2- "$T/prior.tsv" | sort -u >"$T/prior.set"
extra=$(cut -f2- "$T/post.tsv" | tail -n +2 | sort -u | comm -23 - "$T/prior.set" | wc -l)
check "every posterior member is a prior member" "$extra" 0
"$BIN/exsol-ensemble" -q --ensemble "$T/post.tsv" "$T/g.nc" >"$T/p.tsv" &&
    ok "exsol-ensemble --ensemble takes it" || bad "the posterior does not replay"
/usr/bin/python3 "$S" --members 8 --seed 2 --bin "$BIN" -o "$T/post2.tsv" 2>/dev/null
cmp -s "$T/post.tsv" "$T/post2.tsv" && ok "deterministic" || bad "two runs differ"
check "nothing left in TMPDIR" "$(ls -A "$TMPDIR" | wc -l)" 0
exit $fail
