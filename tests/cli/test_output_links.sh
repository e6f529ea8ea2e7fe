#!/usr/bin/env bash
# -o through a symbolic link is decided by what the link leads to: a device or FIFO
# is written directly, a regular file is replaced through a temporary next to it and
# the link stays a link, a link through /proc's descriptor links (like /dev/stdout)
# writes into the file the caller holds open. `-o /dev/stdout` with stdout on a file
# used to rename a temporary over /dev/stdout, replacing the system's link (as root)
# with a plain file; here the same is done with links of our own in a private
# folder, never with the real /dev/stdout.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
GEN=("$BIN/exsol-gen" -q --no-history --grid "$SRC/recipes/grids/lsnt.cfg")
"${GEN[@]}" >"$T/want.cdf5"
"${GEN[@]}" -o "$T/want.nc"
"$BIN/exsol-table" -v formula,T_anneal "$T/want.nc" >"$T/want.tsv"

still_link() { # link, where it must lead
    [ -L "$1" ] && [ "$(readlink "$1")" = "$2" ] ||
        { echo "FAIL: '$1' is no longer a link to '$2'"; ls -l "$1"; fail=1; }
}

# a link to /dev/null: written into, not renamed over
ln -s /dev/null "$T/null"
"${GEN[@]}" -o "$T/null" || { echo "FAIL: -o link-to-/dev/null exited $?"; fail=1; }
still_link "$T/null" /dev/null
[ -c /dev/null ] || { echo "FAIL: /dev/null is no longer a device"; fail=1; }

# a link to a FIFO: the stream goes through it
mkfifo "$T/fifo"
ln -s "$T/fifo" "$T/tofifo"
cat "$T/fifo" >"$T/got.cdf5" &
reader=$!
timeout 20 "${GEN[@]}" -o "$T/tofifo" || { echo "FAIL: -o link-to-FIFO exited $?"; fail=1; }
wait $reader
still_link "$T/tofifo" "$T/fifo"
[ -p "$T/fifo" ] || { echo "FAIL: the FIFO was replaced"; fail=1; }
cmp -s "$T/want.cdf5" "$T/got.cdf5" || { echo "FAIL: FIFO output differs from stdout's"; fail=1; }

# a link to a regular file (relative, in another folder): the file is replaced, the
# link stays, no temporary is left anywhere
mkdir "$T/data" "$T/links"
echo old >"$T/data/screen.nc"
ln -s ../data/screen.nc "$T/links/screen.nc"
"${GEN[@]}" -o "$T/links/screen.nc" || { echo "FAIL: -o link-to-file exited $?"; fail=1; }
still_link "$T/links/screen.nc" ../data/screen.nc
"$BIN/exsol-table" -v formula,T_anneal "$T/data/screen.nc" >"$T/got.tsv" 2>/dev/null
cmp -s "$T/want.tsv" "$T/got.tsv" || { echo "FAIL: the linked file was not replaced"; fail=1; }
left=$(find "$T/data" "$T/links" -name '*.tmp*' | wc -l)
[ "$left" -eq 0 ] || { echo "FAIL: $left temporaries left"; fail=1; }

# our own "/dev/stdout": a link to /proc/self/fd/1, stdout on a regular file
ln -s /proc/self/fd/1 "$T/stdout"
"${GEN[@]}" -o "$T/stdout" >"$T/out.cdf5" || { echo "FAIL: -o link-to-fd-1 exited $?"; fail=1; }
still_link "$T/stdout" /proc/self/fd/1
cmp -s "$T/want.cdf5" "$T/out.cdf5" || { echo "FAIL: -o link-to-fd-1: stdout's file differs"; fail=1; }
# ... and with stdout on a pipe
"${GEN[@]}" -o "$T/stdout" | cat >"$T/out2.cdf5"
still_link "$T/stdout" /proc/self/fd/1
cmp -s "$T/want.cdf5" "$T/out2.cdf5" || { echo "FAIL: -o link-to-fd-1 on a pipe differs"; fail=1; }

# a link that leads nowhere: usage error, the link untouched
ln -s "$T/nowhere/x.nc" "$T/dangling"
"${GEN[@]}" -o "$T/dangling" 2>"$T/err"
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: -o dangling link exited $rc, want 2"; cat "$T/err"; fail=1; }
still_link "$T/dangling" "$T/nowhere/x.nc"

[ $fail -eq 0 ] && echo "outputs through links: devices and FIFOs in place, links kept"
exit $fail
