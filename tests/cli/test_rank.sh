#!/bin/bash
# exsol-rank on a hand-made screen (tests/cli/rank/screen.cdl, ncgen): the sorted
# table worked out by hand (fronts, ranks, scores, reasons), the NetCDF output (-o)
# with its fill values and recorded parameters, --set overrides changing verdicts,
# --top/--columns/--all/--tsv, stdin input, and the all-failed and empty inputs.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
R="$BIN/exsol-rank"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ncgen -k cdf5 -o "$T/screen.nc" "$SRC/tests/cli/rank/screen.cdl" || { echo "FAIL: ncgen"; exit 1; }
COLS=rank,formula,pareto_rank,score,dual_switch,rank_reason

# 1. the table, worked by hand. Objectives (log10 ratio, M counted if SPM):
#    row1 (4.2, 6000) and row2 (5.0, 1500) are incomparable -> front 1; the seed
#    (3.6, 2500) is dominated by row1 -> front 2. One violation each: row6 (6, 7000,
#    too hot) dominates the rest -> front 3; row3 (4.5, blocked -> 0) and row4
#    (2.0, 4000) -> front 4; row7 (4.0, 0) is dominated by row3 -> front 5.
#    score = (r/3 + M/8900)/2 - violations.
"$R" -q --all --columns $COLS "$T/screen.nc" >"$T/all.tsv" 2>"$T/err"
check "exit 0" "$?" 0
cat >"$T/want.tsv" <<'TSV'
rank	formula	pareto_rank	score	dual_switch	rank_reason
1	La0.2Sr0.7Co0.1Ti0.9O3	1	1.03708	1	dual switch
2	La0.3Sr0.6Ni0.1Ti0.9O3	1	0.917603	1	dual switch
3	La0.2Sr0.7Ni0.1Ti0.9O3	2	0.740449	1	dual switch
4	La0.1Sr0.8Co0.1Ti0.9O3	3	0.393258	0	anneal 1000 C > 900 C
5	La0.2Ca0.7Ni0.1Ti0.9O3	4	-0.25	0	not superparamagnetic at 300 K
6	Sr0.9Ni0.1Ti0.9O3	4	-0.441948	0	log10 rho ratio 2.00 < 3.00
7	La0.2Sr0.7Cu0.1Ti0.9O3	5	-0.333333	0	not superparamagnetic at 300 K
NA	La0.2Sr0.7Fe0.1Ti0.9O3	NA	NA	0	excluded: reduce status 1: CVODE failed: too much work
TSV
if cmp -s "$T/all.tsv" "$T/want.tsv"; then ok "hand-worked table"; else
    bad "hand-worked table"; diff "$T/want.tsv" "$T/all.tsv"; fi
check "-q prints nothing on stderr" "$(cat "$T/err")" ""

# 2. summary on stderr counts the excluded row
"$R" "$T/screen.nc" >/dev/null 2>"$T/err"
grep -q "8 rows, 7 ranked, 3 dual switch, 5 fronts; excluded: 1 failed stage, 0 missing" "$T/err" \
    && ok "summary line" || { bad "summary line"; cat "$T/err"; }

# 3. default: TSV on stdout without excluded rows; --top; stdin
n=$("$R" -q <"$T/screen.nc" | wc -l)
check "stdin, default table has header + 7 ranked rows" "$n" 8
n=$("$R" -q --top 2 "$T/screen.nc" | wc -l)
check "--top 2" "$n" 3
check "default columns start with rank,formula" \
    "$("$R" -q "$T/screen.nc" | head -1 | cut -f1,2)" "$(printf 'rank\tformula')"

# 4. --set changes verdicts: a lower ratio threshold admits row4 and a hotter
#    process window admits row6 (which then dominates everything)
d=$("$R" -q --set min_log10_rho_ratio=1.5 --columns dual_switch "$T/screen.nc" | grep -c '^1$')
check "--set min_log10_rho_ratio=1.5: 4 dual switches" "$d" 4
top=$("$R" -q --set T_anneal_max=1100C --top 1 --columns formula "$T/screen.nc" | tail -1)
check "--set T_anneal_max=1100C: row6 first" "$top" "La0.1Sr0.8Co0.1Ti0.9O3"
"$R" -q --set min_M_contrast=30 "$T/screen.nc" >/dev/null 2>&1
check "min_M_contrast is gone (one contrast threshold: magnet's spm_contrast_min)" "$?" 3

# 5. NetCDF output: rank variables with fills, parameters recorded, TSV to a file
"$R" -q -o "$T/ranked.nc" --tsv "$T/r.tsv" --set weight_mag=3 "$T/screen.nc"
check "-o exit" "$?" 0
[ -s "$T/r.tsv" ] && ok "--tsv FILE written" || bad "--tsv FILE written"
ls "$T" | grep -q tmp && bad "temporary left behind" || ok "no temporary left"
ncdump -v rank,pareto_rank,dual_switch "$T/ranked.nc" >"$T/dump" 2>&1
grep -q "pareto_rank = 2, 1, 1, 4, 4, _, 3, 5 ;" "$T/dump" && ok "pareto_rank in NetCDF, fill for excluded" \
    || { bad "pareto_rank in NetCDF"; grep -A2 "pareto_rank =" "$T/dump"; }
grep -q "dual_switch = 1, 1, 1, 0, 0, 0, 0, 0 ;" "$T/dump" && ok "dual_switch in NetCDF" \
    || bad "dual_switch in NetCDF"
# weight_mag=3 reorders within front 4: row4 (2/3 + 3*4000/8900)/4 - 1 = -0.496 now
# beats row3 (1.5 + 0)/4 - 1 = -0.625; fronts are unchanged
grep -q "rank = 3, 1, 2, 6, 5, _, 4, 7 ;" "$T/dump" && ok "rank with weight_mag=3" \
    || { bad "rank with weight_mag=3"; grep -A1 "rank = " "$T/dump"; }
ncdump -h "$T/ranked.nc" | grep -q 'rank_parameters:weight_mag_origin = "--set"' \
    && ok "parameters recorded with origin" || bad "parameters recorded with origin"
ncdump -h "$T/ranked.nc" | grep -q 'log10_rho_ratio(candidate)' && ok "input copied through" \
    || bad "input copied through"
# the ranked file can be tabulated again (TSV only) but not re-ranked into NetCDF
n=$("$R" -q "$T/ranked.nc" | wc -l)
check "ranked file re-tabulates" "$n" 8
"$R" -q -o "$T/again.nc" "$T/ranked.nc" 2>"$T/err"
check "re-ranking into NetCDF refused (exit 3)" "$?" 3
[ -e "$T/again.nc" ] && bad "nothing left behind on failure" || ok "nothing left behind on failure"

# 6. -o - streams NetCDF to the next tool
n=$("$R" -q -o - "$T/screen.nc" | "$R" -q --columns rank | wc -l)
check "-o - | exsol-rank" "$n" 8

# 7. all rows failed: empty ranking, exit 0, a message
sed -e 's/^ reduce_status = .*/ reduce_status = 1, 1, 1, 1, 1, 1, 1, 1 ;/' \
    "$SRC/tests/cli/rank/screen.cdl" >"$T/failed.cdl"
ncgen -k cdf5 -o "$T/failed.nc" "$T/failed.cdl"
out=$("$R" "$T/failed.nc" 2>"$T/err")
check "all failed: exit 0" "$?" 0
check "all failed: header only" "$(echo "$out" | wc -l)" 1
grep -q "no row could be ranked" "$T/err" && ok "all failed: message" || bad "all failed: message"
"$R" -q -o "$T/failed_r.nc" "$T/failed.nc"
ncdump -v rank "$T/failed_r.nc" | grep -q "rank = _, _, _, _, _, _, _, _ ;" \
    && ok "all failed: rank all fill" || bad "all failed: rank all fill"

# 8. a missing value in a row whose stages say ok excludes that row
sed -e 's/^ M_300K_1T_pristine = 100, 100,/ M_300K_1T_pristine = 100, _,/' \
    "$SRC/tests/cli/rank/screen.cdl" >"$T/miss.cdl"
ncgen -k cdf5 -o "$T/miss.nc" "$T/miss.cdl"
line=$("$R" -q --all --columns formula,rank,rank_reason "$T/miss.nc" | grep '^La0.2Sr0.7Co0.1')
check "missing value excluded" "$line" "$(printf 'La0.2Sr0.7Co0.1Ti0.9O3\tNA\texcluded: missing M_300K_1T_pristine')"

# 9. usage and input errors: exit codes, nothing on stdout
out=$("$R" -q --columns rank,no_such_var "$T/screen.nc" 2>"$T/err"); st=$?
check "unknown column: exit 3" "$st" 3
check "unknown column: no table" "$out" ""
grep -q "no variable 'no_such_var'" "$T/err" && ok "unknown column named" || bad "unknown column named"
"$R" -q --columns rho_T_reduced "$T/screen.nc" >/dev/null 2>&1
check "curve as a column: exit 3" "$?" 3
"$R" -q --top -1 "$T/screen.nc" >/dev/null 2>&1
check "--top -1: exit 2" "$?" 2
"$R" -q -o - --tsv - "$T/screen.nc" >/dev/null 2>&1
check "-o - with --tsv -: exit 2" "$?" 2
"$R" -q --set no_such_parameter=1 "$T/screen.nc" >/dev/null 2>&1
check "unknown parameter: exit 3" "$?" 3
"$R" -q --set weight_rho=0 --set weight_mag=0 "$T/screen.nc" >/dev/null 2>&1
check "zero weights: exit 3" "$?" 3
printf 'netcdf m {\ndimensions:\n candidate = UNLIMITED ;\nvariables:\n double log10_rho_ratio(candidate) ;\n}\n' >"$T/nomag.cdl"
ncgen -k cdf5 -o "$T/nomag.nc" "$T/nomag.cdl"
"$R" -q -o "$T/nomag_r.nc" "$T/nomag.nc" 2>"$T/err"
check "no magnet variables: exit 3" "$?" 3
grep -q "M_300K_1T_reduced" "$T/err" && ok "missing variable named" || bad "missing variable named"
[ -e "$T/nomag_r.nc" ] && bad "output written on error" || ok "no output on error"
echo "not a netcdf file" >"$T/junk.nc"
"$R" -q "$T/junk.nc" >/dev/null 2>&1
check "not NetCDF: exit 3" "$?" 3
"$R" --help | grep -q -- "--columns LIST" && ok "--help lists the options" || bad "--help"

# 10. special files are written to, never replaced (a renamed temporary would replace a
#     device such as /dev/null): a FIFO stands in for the device here
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/fromfifo" &
"$R" -q --tsv "$T/fifo" "$T/screen.nc"
check "--tsv FIFO: exit 0" "$?" 0
wait
check "--tsv FIFO: table went through" "$(wc -l <"$T/fromfifo")" 8
[ -p "$T/fifo" ] && ok "--tsv FIFO: still a FIFO" || bad "--tsv FIFO was replaced"
cat "$T/fifo" >"$T/ncfromfifo" &
"$R" -q -o "$T/fifo" "$T/screen.nc"
check "-o FIFO: exit 0" "$?" 0
wait
[ -p "$T/fifo" ] && ok "-o FIFO: still a FIFO" || bad "-o FIFO was replaced"
check "-o FIFO: NetCDF went through (header + every row)" "$("$BIN/exsol-table" -v rank "$T/ncfromfifo" | wc -l)" 9

# 11. an empty screen (no candidates) is not an error
printf 'netcdf e {\ndimensions:\n candidate = UNLIMITED ;\nvariables:\n double log10_rho_ratio(candidate) ;\n double M_300K_1T_reduced(candidate) ;\n int spm_300K_reduced(candidate) ;\n}\n' >"$T/empty.cdl"
ncgen -k cdf5 -o "$T/empty.nc" "$T/empty.cdl"
out=$("$R" -q "$T/empty.nc")
check "empty input: exit 0" "$?" 0
check "empty input: header only" "$(echo "$out" | wc -l)" 1

exit $fail
