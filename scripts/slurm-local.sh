#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, for tests and for trying `qor label --slurm`.
#
#   scripts/slurm-local.sh start    install slurm-wlm + munge when missing, start munged, slurmctld
#                                   and slurmd on 127.0.0.1, wait until the node is idle (no-op when up)
#   scripts/slurm-local.sh stop     stop the daemons this script started
#   scripts/slurm-local.sh status   say whether the cluster is up (exit 0) or not (exit 3)
#   scripts/slurm-local.sh env      print `export SLURM_CONF=...` for the Slurm commands
#
# State, configuration and logs live in $QOR_SLURM_DIR (default /tmp/qor-slurm). Clients find the
# configuration through SLURM_CONF; when /etc/slurm/slurm.conf is absent it is linked there too.
# Needs root (Debian 12: slurm-wlm 22.05, no systemd). Exit 69 when Slurm cannot be installed.
set -euo pipefail

DIR="${QOR_SLURM_DIR:-/tmp/qor-slurm}"
CONF="$DIR/slurm.conf"
export SLURM_CONF="$CONF"

say() { echo "slurm-local: $*" >&2; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

install_packages() {
    command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && return 0
    [ "$(id -u)" -eq 0 ] || { say "root is needed to install and run Slurm"; exit 69; }
    say "installing slurm-wlm munge"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null; }; then
        say "cannot install slurm-wlm munge with apt-get"
        exit 69
    fi
}

start_munge() {
    # A munged already serving the default socket (ours or the system's) is used as it is.
    if [ -S /run/munge/munge.socket.2 ] && munge -n </dev/null >/dev/null 2>&1; then return 0; fi
    mkdir -p /run/munge /var/log/munge /var/lib/munge /etc/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    chmod 0755 /run/munge
    if [ ! -s /etc/munge/munge.key ]; then
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    runuser -u munge -- /usr/sbin/munged --pid-file="/run/munge/munged.pid" </dev/null >>"$DIR/log/munged.out" 2>&1
    cp /run/munge/munged.pid "$DIR/munged.pid" 2>/dev/null || true
    for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && return 0; sleep 0.1; done
    say "munged did not start"
    exit 70
}

write_conf() {
    local name node
    name="$(uname -n)"   # not `hostname -s`: it resolves the name and stalls where it does not resolve
    node="$(slurmd -C | head -n 1)"
    mkdir -p "$DIR/ctld" "$DIR/d" "$DIR/log"
    cat >"$CONF.tmp" <<EOF
# Written by scripts/slurm-local.sh: a one-node cluster on 127.0.0.1.
ClusterName=qor
SlurmctldHost=$name(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/ctld
SlurmdSpoolDir=$DIR/d
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
MinJobAge=600
JobRequeue=1
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    mv "$CONF.tmp" "$CONF"
    if [ ! -e /etc/slurm/slurm.conf ]; then
        mkdir -p /etc/slurm
        ln -s "$CONF" /etc/slurm/slurm.conf
    fi
}

node_state() { sinfo -h -N -o %T 2>/dev/null | head -n 1; }

wait_idle() {
    for _ in $(seq 300); do
        case "$(node_state)" in
            idle | mixed | allocated | completing) return 0 ;;
            down* | drain* | unknown*) scontrol update NodeName="$(uname -n)" State=RESUME >/dev/null 2>&1 || true ;;
        esac
        sleep 0.1
    done
    say "the node did not become idle (state: $(node_state)); see $DIR/log"
    exit 70
}

start() {
    install_packages
    mkdir -p "$DIR/log"
    if alive "$DIR/slurmctld.pid" && alive "$DIR/slurmd.pid"; then
        wait_idle
        say "already running ($CONF)"
        return 0
    fi
    [ "$(id -u)" -eq 0 ] || { say "root is needed to start munged, slurmctld and slurmd"; exit 69; }
    start_munge
    # A fresh configuration whenever the daemons start: the machine may have changed (CPUs, name).
    alive "$DIR/slurmctld.pid" || alive "$DIR/slurmd.pid" || write_conf
    if ! alive "$DIR/slurmctld.pid"; then
        rm -f "$DIR/slurmctld.pid"
        slurmctld -f "$CONF" </dev/null >>"$DIR/log/slurmctld.out" 2>&1
        # slurmctld daemonises before it writes its PID file.
        for _ in $(seq 100); do alive "$DIR/slurmctld.pid" && break; sleep 0.1; done
        alive "$DIR/slurmctld.pid" || { say "slurmctld did not start; see $DIR/log/slurmctld.log"; exit 70; }
    fi
    if ! alive "$DIR/slurmd.pid"; then
        rm -f "$DIR/slurmd.pid"
        slurmd -f "$CONF" </dev/null >>"$DIR/log/slurmd.out" 2>&1
        for _ in $(seq 100); do alive "$DIR/slurmd.pid" && break; sleep 0.1; done
        alive "$DIR/slurmd.pid" || { say "slurmd did not start; see $DIR/log/slurmd.log"; exit 70; }
    fi
    wait_idle
    say "up: $(uname -n) $(node_state) (SLURM_CONF=$CONF)"
}

stop_pid() {
    local file="$1"
    alive "$file" || { rm -f "$file"; return 0; }
    local pid
    pid="$(cat "$file")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    rm -f "$file"
}

stop() {
    stop_pid "$DIR/slurmd.pid"
    stop_pid "$DIR/slurmctld.pid"
    stop_pid "$DIR/munged.pid"   # only a munged this script started
    [ "$(readlink /etc/slurm/slurm.conf 2>/dev/null)" = "$CONF" ] && rm -f /etc/slurm/slurm.conf
    say "stopped"
}

status() {
    if alive "$DIR/slurmctld.pid" && alive "$DIR/slurmd.pid"; then
        echo "up: node $(node_state), SLURM_CONF=$CONF"
    else
        echo "down"
        exit 3
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    env) echo "export SLURM_CONF=$CONF" ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 64 ;;
esac
