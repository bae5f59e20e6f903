#!/usr/bin/env bash
# Starts (or stops) a private single-node Slurm on loopback for trying the job-array scripts here:
# munged + slurmctld + slurmd run as root from a state directory, with a generated munge key and a
# slurm.conf written there; nothing under /etc is touched and no systemd is needed.
#
#   eval "$(deploy/slurm/local-slurm.sh start [DIR])"   # prints `export SLURM_CONF=…` on stdout
#   deploy/slurm/local-slurm.sh stop DIR                  # kills the three daemons by their pid files
#
# Needs Debian's slurm-wlm and munge (apt-get install slurm-wlm munge: ~16 s) and root (slurmd runs
# jobs as their user). Ports: SLURM_LOCAL_PORT (slurmctld) and SLURM_LOCAL_PORT+1 (slurmd), by default
# a free pair from 20000 up. CPUs: SLURM_LOCAL_CPUS (default: nproc). Exits 3 with one line on stderr
# saying why when Slurm cannot start here (not root, not installed, a daemon did not come up).
set -euo pipefail

die() { echo "local-slurm: $*" >&2; exit 3; }

stop() {
  local dir=$1 name pid
  for name in slurmd slurmctld munged; do
    [ -f "$dir/$name.pid" ] || continue
    pid=$(cat "$dir/$name.pid")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/$name.pid"
  done
}

# Runs a daemon with no terminal and none of the caller's descriptors: stdin from /dev/null, stdout and
# stderr to OUT, every other inherited descriptor closed. A daemon that kept one (a caller's pipe, or
# the socket Foundation's Process watches for its child's exit) would make that caller wait forever.
daemon() {
  local out=$1
  shift
  (
    for fd in /proc/"$BASHPID"/fd/*; do
      fd=${fd##*/}
      [ "$fd" -le 2 ] || eval "exec $fd>&-" 2>/dev/null || true
    done
    exec "$@"
  ) </dev/null >"$out" 2>&1
}

port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

start() {
  local dir=${1:-$(mktemp -d /tmp/afscan-slurm.XXXXXX)}
  [ "$(id -u)" -eq 0 ] || die "must run as root (slurmd starts jobs as their user)"
  local tool
  for tool in munged mungekey slurmctld slurmd sbatch scontrol ss; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found: apt-get install slurm-wlm munge"
  done
  mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
  chmod 700 "$dir/munge"
  dir=$(cd "$dir" && pwd)

  local port=${SLURM_LOCAL_PORT:-}
  if [ -z "$port" ]; then
    port=20000
    while ! port_free "$port" || ! port_free $((port + 1)); do port=$((port + 2)); done
  fi
  local cpus=${SLURM_LOCAL_CPUS:-$(nproc)}
  local host
  host=$(hostname -s)

  # munge: a key of our own, a socket in the state directory (slurm.conf's AuthInfo points to it).
  [ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" 2>/dev/null \
    || die "mungekey could not create a key in $dir/munge"
  chmod 600 "$dir/munge/munge.key"
  daemon "$dir/munged.out" munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed" \
    || die "munged did not start: $(tail -n 1 "$dir/munged.out")"

  cat > "$dir/slurm.conf" <<CONF
# Written by deploy/slurm/local-slurm.sh: one node, loopback only, state under $dir.
ClusterName=afscan-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

  export SLURM_CONF=$dir/slurm.conf
  daemon "$dir/slurmctld.out" slurmctld -f "$SLURM_CONF" -i \
    || { stop "$dir"; die "slurmctld did not start: $(tail -n 1 "$dir/slurmctld.out") (see $dir/slurmctld.log)"; }
  daemon "$dir/slurmd.out" slurmd -f "$SLURM_CONF" \
    || { stop "$dir"; die "slurmd did not start: $(tail -n 1 "$dir/slurmd.out") (see $dir/slurmd.log)"; }
  # Ready when the node is idle (slurmd registered with slurmctld).
  local state=""
  for _ in $(seq 100); do
    state=$(sinfo -h -N -o %T 2>/dev/null | head -n 1 || true)
    [ "$state" = idle ] && break
    sleep 0.2
  done
  [ "$state" = idle ] || { stop "$dir"; die "the node did not become idle (state '${state:-none}'; see $dir/slurmctld.log, $dir/slurmd.log)"; }
  echo "export SLURM_CONF=$SLURM_CONF"
  echo "local-slurm: up in $dir (slurmctld on 127.0.0.1:$port, $cpus CPUs); stop with: $0 stop $dir" >&2
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) [ -n "${2:-}" ] || { echo "usage: $0 stop DIR" >&2; exit 64; }; stop "$2" ;;
  *) echo "usage: $0 start [DIR] | stop DIR" >&2; exit 64 ;;
esac
