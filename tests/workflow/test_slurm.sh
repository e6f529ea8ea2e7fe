#!/bin/bash
# The workflow on a real SLURM: a one-node cluster on localhost (munged, slurmctld and
# slurmd with a minimal slurm.conf in a scratch folder: 2 CPUs, no accounting, private
# ports and munge socket), the small screen (tests/workflow/small.yaml) submitted
# through recipes/profiles/slurm with the real sbatch, and its ranking compared with a
# local run of the same configuration. The jobs must have gone through slurmctld (its
# log allocates every one of them) and their logs must be under the results folder.
#
# As root, installs slurm-wlm and munge when missing (apt-get). Every daemon it
# started is stopped on exit. When SLURM cannot be had or started here, it says why and
# exits 77, which ctest counts as skipped (never as passed).
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
PLUGIN=${HDF5_PLUGIN_PATH:-${EXSOL_BUILD:-$BIN/..}/hdf5-plugin}
export HDF5_PLUGIN_PATH=$PLUGIN
skip() { echo "SKIP: $*"; exit 77; }
for t in exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-table; do
    [ -x "$BIN/$t" ] || skip "$t is not built"
done
/usr/bin/python3 -c 'import snakemake, matplotlib, netCDF4' 2>/dev/null \
    || skip "/usr/bin/python3 lacks snakemake, matplotlib or netCDF4"

# ---- SLURM and munge: install when root and missing ---------------------------
SBIN=/usr/sbin
have_slurm() { [ -x $SBIN/slurmctld ] && [ -x $SBIN/slurmd ] && [ -x $SBIN/munged ] \
    && command -v sbatch >/dev/null; }
if ! have_slurm; then
    [ "$(id -u)" = 0 ] || skip "slurm-wlm/munge are not installed and this is not root" \
        "(apt-get install slurm-wlm munge)"
    command -v apt-get >/dev/null || skip "slurm-wlm/munge are missing and there is no apt-get"
    echo "installing slurm-wlm and munge (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends slurm-wlm munge >/tmp/exsol-slurm-apt.$$.log 2>&1 \
        || { apt-get update -q >>/tmp/exsol-slurm-apt.$$.log 2>&1 &&
             apt-get install -y -q --no-install-recommends slurm-wlm munge \
                 >>/tmp/exsol-slurm-apt.$$.log 2>&1; } \
        || { tail -5 /tmp/exsol-slurm-apt.$$.log; rm -f /tmp/exsol-slurm-apt.$$.log
             skip "apt-get could not install slurm-wlm and munge"; }
    rm -f /tmp/exsol-slurm-apt.$$.log
    have_slurm || skip "slurm-wlm installed but slurmctld/slurmd/munged/sbatch not found"
fi
[ "$(id -u)" = 0 ] || skip "starting slurmd needs root (it runs the jobs as their user)"

T=$(mktemp -d /tmp/exsol-slurm.XXXXXX)
chmod 755 "$T"
pids=()
cleanup() {
    # cancel whatever is left, then stop only the daemons this test started
    [ -f "$T/slurm.conf" ] && SLURM_CONF=$T/slurm.conf timeout 5 scancel --quiet -u root >/dev/null 2>&1
    for f in slurmd slurmctld munged; do
        if [ -s "$T/$f.pid" ]; then
            p=$(cat "$T/$f.pid")
            kill "$p" 2>/dev/null
            for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$p" 2>/dev/null
        fi
    done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
logs() { for f in "$T"/*.log; do echo "== $f"; tail -8 "$f"; done; }

# ---- munged on a private socket -------------------------------------------------
mkdir -p "$T/munge" "$T/state" "$T/spool"
chmod 700 "$T/munge"
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge/munge.key"
SOCK=$T/munge/munge.socket
$SBIN/munged --force --socket="$SOCK" --key-file="$T/munge/munge.key" \
    --pid-file="$T/munged.pid" --log-file="$T/munged.log" --seed-file="$T/munge/seed" \
    >"$T/munged.start.log" 2>&1 || { cat "$T/munged.start.log"; skip "munged did not start"; }
for _ in $(seq 1 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
[ -S "$SOCK" ] || skip "munged did not create its socket ($(tail -2 "$T/munged.log" 2>/dev/null))"

# ---- slurm.conf: one node, 2 CPUs, no accounting, ports of this run ---------------
NODE=$(hostname -s)
base=$((20000 + ($$ % 2000) * 4))
cat >"$T/slurm.conf" <<EOF
ClusterName=exsoltest
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCK
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool/slurmd.%n
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
MailProg=/bin/true
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=2 RealMemory=8000 State=UNKNOWN
PartitionName=exsol Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$T/slurm.conf
$SBIN/slurmctld -c -f "$SLURM_CONF" >"$T/slurmctld.start.log" 2>&1 \
    || { logs; skip "slurmctld did not start"; }
$SBIN/slurmd -f "$SLURM_CONF" -N "$NODE" >"$T/slurmd.start.log" 2>&1 \
    || { logs; skip "slurmd did not start"; }
up=0
for _ in $(seq 1 150); do
    st=$(sinfo -h -N -n "$NODE" -o %t 2>/dev/null | head -1)
    case $st in idle*|mix*|alloc*) up=1; break ;; esac
    sleep 0.2
done
[ $up = 1 ] || { logs; skip "the SLURM node did not come up (state '${st:-none}')"; }
ok "one-node SLURM on localhost (munged, slurmctld, slurmd; node $NODE idle)"

# ---- the small screen through the profile, and locally ---------------------------
SMK=(/usr/bin/python3 -m snakemake -s "$SRC/Snakefile" --configfile "$SRC/tests/workflow/small.yaml")
mkdir -p "$T/slurm" "$T/local"
(cd "$T/slurm" && CI=true "${SMK[@]}" --profile "$SRC/recipes/profiles/slurm" \
    --config bin="$BIN" hdf5_plugin_path="$PLUGIN" results=out --latency-wait 10 --jobs 4) \
    >"$T/wf-slurm.log" 2>&1
if [ $? -eq 0 ]; then ok "small screen through recipes/profiles/slurm (real sbatch)"; else
    bad "workflow through the SLURM profile"; tail -30 "$T/wf-slurm.log"
    for f in "$T"/slurm/out/logs/slurm/*; do echo "== $f"; tail -5 "$f"; done; logs; exit 1; fi
(cd "$T/local" && "${SMK[@]}" --cores 2 --config bin="$BIN" hdf5_plugin_path="$PLUGIN" results=out) \
    >"$T/wf-local.log" 2>&1 || { bad "local run"; tail -20 "$T/wf-local.log"; }

n=$(grep -c "sched: Allocate JobId=" "$T/slurmctld.log")
[ "$n" -ge 7 ] && ok "slurmctld allocated $n jobs (gen, split, 2 shard groups, rank, plots, report)" \
    || bad "slurmctld allocated $n jobs, want 7"
m=$(ls "$T/slurm/out/logs/slurm/" 2>/dev/null | wc -l)
[ "$m" -ge 7 ] && ok "$m job logs in out/logs/slurm (the results setting)" || bad "job logs: $m in out/logs/slurm"
[ -e "$T/slurm/results" ] && bad "something was written to results/ instead of out/" || ok "nothing under results/"
[ -s "$T/slurm/out/report.html" ] && ok "report.html" || bad "report.html"
if [ -s "$T/local/out/ranking.tsv" ] && cmp -s "$T/local/out/ranking.tsv" "$T/slurm/out/ranking.tsv"; then
    ok "ranking equals the local run's ($(($(wc -l <"$T/local/out/ranking.tsv") - 1)) rows)"
else bad "ranking differs from the local run's"
    diff "$T/local/out/ranking.tsv" "$T/slurm/out/ranking.tsv" | head; fi
exit $fail
