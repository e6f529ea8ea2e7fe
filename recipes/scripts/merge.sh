#!/bin/bash
# Concatenates shard files along `candidate`, in the order given, into OUT:
#   merge.sh BIN OUT SHARD...
# Uses exsol-cat from BIN when it is built (it checks that the shards agree), else
# NCO's ncrcat (written as CDF5: Debian's NCO cannot re-apply the zstd filter).
# ncrcat crashes on zero-row shards, so empty shards are left out of its list (they
# hold no rows; if every shard is empty the first one is the result). The result is
# written to a temporary name and renamed, so OUT is complete or absent.
set -euo pipefail
bin=$1 out=$2
shift 2
tmp="$out.tmp$$"
trap 'rm -f "$tmp"' EXIT
if [ -x "$bin/exsol-cat" ]; then
    "$bin/exsol-cat" -o "$tmp" "$@"
else
    keep=()
    for f in "$@"; do
        hdr=$(ncdump -h "$f")
        case $hdr in
        *"candidate = UNLIMITED ; // (0 currently)"*) ;;
        *) keep+=("$f") ;;
        esac
    done
    if [ ${#keep[@]} -eq 0 ]; then
        cp "$1" "$tmp"
    elif [ ${#keep[@]} -eq 1 ]; then
        ncks -O -5 "${keep[0]}" "$tmp" 2>/dev/null || ncks -O -5 "${keep[0]}" "$tmp"
    else
        ncrcat -O -5 "${keep[@]}" "$tmp" 2>/dev/null || ncrcat -O -5 "${keep[@]}" "$tmp"
    fi
fi
mv -f "$tmp" "$out"
trap - EXIT
