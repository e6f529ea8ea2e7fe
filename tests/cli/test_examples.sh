#!/bin/bash
# Every example runs: each "Example:"/"Examples:" command of every tool's --help and
# every README code block marked <!-- example ... --> is run with bash (-e, pipefail)
# in a fresh temporary folder against the build (tools on PATH, build/ and recipes/
# linked in), next to small fixture files with the names the examples use
# (screen.nc, ranking.nc, shard0.nc, shard1.nc, a.nc, b.nc, results/ranking.nc,
# window.nc).
set -uo pipefail
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
BUILD=${EXSOL_BUILD:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-table exsol-cat
export PATH=$BIN:$PATH HDF5_PLUGIN_PATH=$BUILD/hdf5-plugin

# fixtures, made once
F=$T/fixtures
mkdir -p "$F/results"
(
    set -e
    cd "$F"
    exsol-gen -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --composition La0.2Sr0.7Co0.1Ti0.9O3 \
        --temperature 550C,600C --time 5h | exsol-reduce -q | exsol-transport -q |
        exsol-magnet -q -o screen.nc
    exsol-rank -q -o ranking.nc --tsv /dev/null screen.nc
    cp ranking.nc results/ranking.nc
    /usr/bin/python3 "$SRC/recipes/scripts/split.py" screen.nc shard0.nc shard1.nc 2>/dev/null
    # a.nc, b.nc: shards as a tool writes them (candidate unlimited, as ncrcat needs)
    exsol-cat -q -o a.nc shard0.nc
    exsol-cat -q -o b.nc shard1.nc
    exsol-gen -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h |
        exsol-window -q -o window.nc
) || { bad "fixtures"; exit 1; }

n=0
run_example() { # WHERE TEXT
    local where=$1 text=$2 d
    n=$((n + 1))
    d=$T/ex$n
    cp -r "$F" "$d"
    ln -s "$BUILD" "$d/build"
    ln -s "$SRC/recipes" "$d/recipes"
    if (cd "$d" && bash -e -o pipefail -c "$text") >"$d.out" 2>"$d.err"; then
        ok "$where runs"
    else
        bad "$where: exit $? for: $(echo "$text" | head -3 | tr '\n' ' ')"
        tail -3 "$d.err"
    fi
}

# --help examples: lines after "Example(s):" that start with two spaces; a line
# ending in '|' or '\' continues on the next
for exe in "$BIN"/exsol "$BIN"/exsol-*; do
    tool=$(basename "$exe")
    mapfile -t cmds < <("$exe" --help | awk '
        /^Examples?:$/ { on = 1; next }
        on && !/^  / { on = 0 }
        on {
            line = $0; sub(/^ +/, "", line)
            cmd = cmd (cmd == "" ? "" : " ") line
            if (line ~ /[|\\]$/) { sub(/\\$/, "", cmd); next }
            print cmd; cmd = ""
        }')
    [ ${#cmds[@]} -gt 0 ] || { bad "$tool --help has no example"; continue; }
    for c in "${cmds[@]}"; do
        run_example "$tool --help example '${c:0:50}...'" "$c"
    done
done

# README blocks marked as examples ("$ " prompts stripped)
nb=0
while IFS= read -r -d '' block; do
    nb=$((nb + 1))
    run_example "README example block $nb" "$block"
done < <(awk '
    /^<!-- example/ { want = 1; next }
    want && /^```/ { want = 0; inb = 1; txt = ""; next }
    inb && /^```/ { inb = 0; printf "%s%c", txt, 0; next }
    inb { sub(/^\$ /, ""); txt = txt $0 "\n" }
    { want = 0 }' "$SRC/README.md")
holds "README blocks marked as examples" "$nb" "v >= 4"
exit $fail
