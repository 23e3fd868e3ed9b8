#!/usr/bin/env bash
# Lab benchmark: the same two veth-attached hosts switched in turn by
#   vmready_pcap    VMready on libpcap            (--attach P=pcap:IF)
#   vmready_afxdp   VMready on AF_XDP alone       (--attach P=xdp:IF --xdp-fast-path off)
#   vmready_fast    VMready, AF_XDP + XDP fast path (--attach P=xdp:IF --xdp-fast-path on)
#   ovs_afxdp       Open vSwitch, userspace datapath, type=afxdp ports
#   ovs             Open vSwitch, userspace datapath, type=system ports (netdev)
#   bridge          the Linux bridge
# in interleaved rounds (each round measures every switch once, starting one
# further down this list each round, so that none always follows the same one),
# measuring
#   lab.veth_tcp_gbps   iperf3 TCP h1 -> h2
#   lab.veth_64B_kpps   64-byte frames from trafgen in h1, counted at h2's veth
# and, during the 64-byte run, what the generator offered (h1's sent frames plus
# those its veth dropped), the loss, the switch process's share of its CPU and
# its CPU per packet forwarded (cycles where `perf stat` can count them, else
# task-clock ns from /proc/PID/stat). It prints min/median/max over the rounds,
# ratios of medians against the targets, and NAME VALUE UNIT lines; the header
# warns of other work on the CPUs (the lab machine is shared).
#
# Fairness: every switch forwards between the same veths and hosts. The switch's
# process (vmready, every ovs-vswitchd thread including its pmd) is pinned to
# SWITCH_CPU; the hosts' programs (iperf3 both ends, trafgen) to LOAD_CPU. The
# Linux bridge and the XDP fast path have no process: they run in the kernel, in
# the softirq of the CPU that sends, i.e. mostly LOAD_CPU.
#
# A VMready mode is measured only when `show interface` says its ports run on the
# I/O kind that mode claims: a figure measured on a fallback (AF_XDP refused,
# libpcap taken instead) is reported as n/a with the kind it found.
#
# Root only. Everything it creates (namespaces h1 and h2, veths vbh1/vbh2, the
# bridges, OVS daemons it started, XDP programs left on its veths) is removed on
# exit, even on failure. All traffic stays inside those namespaces, addressed
# from 198.18.0.0/15.
#
# Environment: VMREADY_BIN (default .build/release/vmready), DURATION seconds
# per measurement (default 5), ROUNDS (default 5: one switch's figure moves by
# up to 10 % from round to round on a VM, and a median of 5 keeps a ratio
# steadier than one of 3), SWITCHES which to measure
# (default all six keys above; `vmready` means its three modes), SWITCH_CPU and
# LOAD_CPU (default 1 and 0 when there are two CPUs or more, else no pinning),
# OVS_XDP_MODE (native or generic; default native), FAST_IO_KINDS the I/O kinds
# that count as the fast path, an extended regular expression (default
# xdp-fast-native|xdp-fast-generic), HOST_GRO (on or off: GRO on the hosts'
# eth0; default on).
set -uo pipefail

if [[ $EUID -ne 0 ]]; then
    echo "bench.sh: must run as root (it creates network namespaces, veths and bridges)" >&2
    exit 1
fi

cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-5}
VMREADY_BIN=${VMREADY_BIN:-.build/release/vmready}
ALL_SWITCHES="vmready_pcap vmready_afxdp vmready_fast ovs_afxdp ovs bridge"
SWITCHES=${SWITCHES:-$ALL_SWITCHES}
SWITCHES=${SWITCHES//vmready /vmready_pcap vmready_afxdp vmready_fast }
[[ $SWITCHES == *vmready ]] && SWITCHES="${SWITCHES%vmready}vmready_pcap vmready_afxdp vmready_fast"
OVS_XDP_MODE=${OVS_XDP_MODE:-native}
HOST_GRO=${HOST_GRO:-on}
FAST_IO_KINDS=${FAST_IO_KINDS:-xdp-fast-native|xdp-fast-generic}
if (( $(nproc) >= 2 )); then
    SWITCH_CPU=${SWITCH_CPU:-1} LOAD_CPU=${LOAD_CPU:-0}
else
    SWITCH_CPU=${SWITCH_CPU:-} LOAD_CPU=${LOAD_CPU:-}
fi
NS1=h1 NS2=h2
VETH1=vbh1 VETH2=vbh2          # root-namespace ends: the switch ports
IP1=198.18.1.1 IP2=198.18.1.2  # benchmark range (RFC 2544), never routed
LINUX_BR=vbbr0
OVS_BR=vbovs0
OVS_CTL=/usr/share/openvswitch/scripts/ovs-ctl
OVS_RUN=/var/run/openvswitch
WORK=$(mktemp -d /tmp/vmready-bench.XXXXXX)

VMREADY_PID=""
HOSTS_CREATED=0     # only what this run made is removed: a second run must not
LINUX_BR_CREATED=0  # tear down the first one's namespaces on its way out
OVS_BR_CREATED=0
OVS_STARTED=0
POLICY_RC_CREATED=0

log() { echo "bench.sh: $*" >&2; }

# Runs a long command in the background and waits for it: bash runs a trap
# (Ctrl-C, TERM) only once the foreground command is over, but at once in `wait`.
interruptible() { "$@" & wait $!; }

cleanup() {
    set +e
    local job
    for job in $(jobs -p); do kill "$job" 2>/dev/null; done  # generators, servers, perf
    stop_vmready
    (( LINUX_BR_CREATED )) && ip link del "$LINUX_BR" 2>/dev/null
    (( OVS_BR_CREATED )) && ovs-vsctl --timeout=5 --if-exists del-br "$OVS_BR" 2>/dev/null
    (( OVS_STARTED )) && stop_ovs_daemons
    (( POLICY_RC_CREATED )) && rm -f /usr/sbin/policy-rc.d
    if (( HOSTS_CREATED )); then
        ip netns del "$NS1" 2>/dev/null
        ip netns del "$NS2" 2>/dev/null
        ip link del "$VETH1" 2>/dev/null
        ip link del "$VETH2" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Command prefixes that pin to those CPUs (empty when pinning is off). taskset
# execs its command, so $! is still the switch's own process id.
SWITCH_PIN=() LOAD_PIN=()
[[ -n $SWITCH_CPU ]] && SWITCH_PIN=(taskset -c "$SWITCH_CPU")
[[ -n $LOAD_CPU ]] && LOAD_PIN=(taskset -c "$LOAD_CPU")

# --- Tools -------------------------------------------------------------------

# The lab bench's own Debian packages, beyond the Makefile's DEBIAN_PACKAGES
# (what `make test` needs too): checked and installed the way `make deps` does
# it, but here only, so that OVS and perf stay out of the test machines.
LAB_PACKAGES="iperf3 netsniff-ng ethtool openvswitch-switch linux-perf python3 util-linux"

install_missing() {
    local missing=() package
    for package in $LAB_PACKAGES; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    (( ${#missing[@]} )) || return 0
    log "installing ${missing[*]}"
    # Keep package scripts from starting daemons (iperf3, OVS): this script
    # starts and stops what it uses itself.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        POLICY_RC_CREATED=1
    fi
    apt-get update -qq >/dev/null || log "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || log "apt-get install ${missing[*]} failed; the affected columns will be n/a"
    if (( POLICY_RC_CREATED )); then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi
}

# Whether `perf stat` counts cycles here (a VM often has no hardware counters).
PERF_CYCLES=0
probe_perf_cycles() {
    command -v perf >/dev/null || { PERF_NOTE="perf not installed"; return; }
    local out
    out=$(perf stat -x, -e cycles -- true 2>&1 >/dev/null | grep ',cycles' | head -n 1)
    if [[ ${out%%,*} =~ ^[0-9]+$ ]]; then
        PERF_CYCLES=1 PERF_NOTE="cycles from perf stat -e cycles -p PID"
    else
        PERF_NOTE="perf stat: cycles ${out%%,*}"
    fi
}

# "cpuN idle P%" for each CPU over one second, before anything of ours runs:
# on a shared machine, a CPU busy with other work makes every figure on it smaller.
cpu_idle_now() {
    local a b
    a=$(grep '^cpu[0-9]' /proc/stat); sleep 1; b=$(grep '^cpu[0-9]' /proc/stat)
    paste <(echo "$a") <(echo "$b") | awk '{
        n = (NF - 2) / 2; total = 0
        for (i = 2; i <= n + 1; i++) total += $(i + n + 1) - $i
        idle = $(5 + n + 1) - $5 + $(6 + n + 1) - $6
        printf "%s%s idle %.0f%%", sep, $1, total ? 100 * idle / total : 0; sep = ", "
    }'
}

# User-space real-time processes (SCHED_FIFO/RR) and the CPUs they may run on,
# "comm[pid]:cpus" each: while one runs, the CPU it holds gives everything else
# at most the kernel's RT throttling slack (5%), so figures on it mean nothing.
declare -A RT_SEEN
note_realtime_processes() {
    local pid ppid cls comm
    while read -r pid ppid cls comm; do
        [[ $ppid == 2 || $pid == 2 ]] && continue  # kernel threads (migration/N, ...)
        [[ $cls == FF || $cls == RR ]] || continue
        RT_SEEN["$comm"]="$comm[$pid]:$(taskset -cp "$pid" 2>/dev/null | sed 's/.*: //')"
    done < <(ps -eo pid=,ppid=,cls=,comm=)
}

# --- Topology ----------------------------------------------------------------

# h1 and h2, each with eth0 whose peer (vbh1, vbh2) stays in the root namespace
# for the switch under test. Checksum offload off on both ends: a packet-socket
# switch would otherwise forward TCP segments with unfilled checksums.
make_hosts() {
    local n
    for n in "$NS1" "$NS2" ; do
        if ip netns list | awk '{print $1}' | grep -qx "$n"; then
            log "namespace $n already exists (another lab run?); not touching it"
            exit 1
        fi
    done
    if ip link show "$VETH1" >/dev/null 2>&1 || ip link show "$VETH2" >/dev/null 2>&1; then
        log "$VETH1 or $VETH2 already exists (another lab run?); not touching it"
        exit 1
    fi
    HOSTS_CREATED=1
    ip netns add "$NS1" && ip netns add "$NS2" || exit 1
    ip link add "$VETH1" type veth peer name eth0 netns "$NS1" || exit 1
    ip link add "$VETH2" type veth peer name eth0 netns "$NS2" || exit 1
    local i ns veth ip
    for i in 1 2; do
        if [[ $i == 1 ]]; then ns=$NS1 veth=$VETH1 ip=$IP1; else ns=$NS2 veth=$VETH2 ip=$IP2; fi
        sysctl -qw "net.ipv6.conf.$veth.disable_ipv6=1"
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
        ethtool -K "$veth" tx off rx off >/dev/null 2>&1 || log "ethtool -K $veth failed"
        ip netns exec "$ns" ethtool -K eth0 tx off rx off >/dev/null 2>&1 || log "ethtool -K $ns/eth0 failed"
        # A veth hands frames that XDP redirected into it (the fast path) only to a
        # peer that polls (NAPI), which GRO turns on, as any real host NIC does.
        # Every switch sees the same hosts; HOST_GRO=off compares without.
        ip netns exec "$ns" ethtool -K eth0 gro "$HOST_GRO" >/dev/null 2>&1 || log "ethtool -K $ns/eth0 gro failed"
        ip netns exec "$ns" ip addr add "$ip/24" dev eth0
        ip netns exec "$ns" ip link set lo up
        ip netns exec "$ns" ip link set eth0 up
        ip link set "$veth" up
    done
}

rx_queues() { ls -d "/sys/class/net/$1/queues/rx-"* 2>/dev/null | wc -l; }

# native, generic or none: the XDP program on a veth, as `ip link` shows it.
xdp_mode() {
    local line; line=$(ip link show "$1" 2>/dev/null)
    case $line in
        *" xdpgeneric"*) echo generic ;;
        *" xdp"*) echo native ;;
        *) echo none ;;
    esac
}

# A switch that died or forgot its XDP program must not handicap the next one.
clear_xdp() {
    local veth
    for veth in "$VETH1" "$VETH2"; do
        if [[ $(xdp_mode "$veth") != none ]]; then
            log "$1 left an XDP program on $veth; removing it"
            ip link set dev "$veth" xdp off 2>/dev/null
        fi
    done
}

# --- VMready -----------------------------------------------------------------

VMREADY_HELP=""
vmready_usable() {
    if [[ ! -x $VMREADY_BIN ]]; then
        if [[ $VMREADY_BIN == .build/release/vmready ]]; then
            log "building vmready (release)"
            swift build -c release --product vmready >"$WORK/build.log" 2>&1 \
                || { SKIP_REASON="build failed, see swift build -c release --product vmready"; return 1; }
        else
            SKIP_REASON="$VMREADY_BIN not found"; return 1
        fi
    fi
    [[ -n $VMREADY_HELP ]] || VMREADY_HELP=$("$VMREADY_BIN" --help 2>&1)
    [[ $VMREADY_HELP == *--attach* ]] || { SKIP_REASON="$VMREADY_BIN has no --attach"; return 1; }
}

has_fast_path_flag() { [[ $VMREADY_HELP == *--xdp-fast-path* ]]; }

# Starts the switch with PREFIX on both ports, plus any further flags.
start_vmready() { # prefix, flags...
    local prefix=$1; shift
    vmready_usable || return 1
    # Its stdin is a fifo this script holds open (fd 7): the console keeps
    # reading, so the switch keeps forwarding until the fifo is closed. Its own
    # state directory: never the operator's flash or history.
    rm -f "$WORK/stdin"; mkfifo "$WORK/stdin"
    mkdir -p "$WORK/state"
    "${SWITCH_PIN[@]}" "$VMREADY_BIN" --state-dir "$WORK/state" --ports 2 \
        --attach "1=$prefix$VETH1" --attach "2=$prefix$VETH2" "$@" \
        <"$WORK/stdin" >"$WORK/vmready.log" 2>&1 &
    VMREADY_PID=$!
    exec 7>"$WORK/stdin"
    local i
    for i in $(seq 20); do   # up to 5 s for both ports to report their I/O kind
        sleep 0.25
        if ! kill -0 "$VMREADY_PID" 2>/dev/null; then
            SKIP_REASON="vmready exited: $(grep -v '^\s*$' "$WORK/vmready.log" | tail -n 1)"
            wait "$VMREADY_PID" 2>/dev/null; VMREADY_PID=""
            return 1
        fi
        vmready_io_kinds >"$WORK/io" && [[ $(grep -cv '^-$' "$WORK/io") == 2 ]] && return 0
    done
    SKIP_REASON="vmready did not report its ports' I/O within 5 s"
    return 1
}

# The I/O column of `show interface` for ports 1 and 2, one per line, asked
# through the control socket of the running switch.
vmready_io_kinds() {
    local out
    out=$(printf 'show interface\n' | timeout 5 "$VMREADY_BIN" connect --state-dir "$WORK/state" 2>/dev/null) || return 1
    awk -v out="$out" 'BEGIN {
        n = split(out, lines, "\n")
        for (i = 1; i <= n; i++) {
            if (lines[i] ~ /^Port +State/) { col = index(lines[i], "I/O"); continue }
            if (col && lines[i] ~ /^[12] /) { split(substr(lines[i], col), f, " "); print f[1] }
        }
    }'
}

# Refuses (SKIP_REASON) unless both ports run on a kind matching the regex.
require_io_kind() { # extended regex, what it means
    local kind
    vmready_io_kinds >"$WORK/io" || { SKIP_REASON="show interface failed"; return 1; }
    [[ $(wc -l <"$WORK/io") == 2 ]] || { SKIP_REASON="show interface has no I/O column for ports 1-2"; return 1; }
    while read -r kind; do
        if ! [[ $kind =~ ^($1)$ ]]; then
            SKIP_REASON="ports run on $(paste -sd/ "$WORK/io"), not $2: fallback, not measured"
            return 1
        fi
    done <"$WORK/io"
    IO_KIND=$(sort -u "$WORK/io" | paste -sd/)
}

start_vmready_pcap() { start_vmready pcap: && require_io_kind 'pcap' "libpcap"; }

# Whether the switch that just exited refused the flag (its help may claim it).
refused_fast_path_flag() { [[ -z $VMREADY_PID ]] && grep -q -- '--xdp-fast-path' "$WORK/vmready.log"; }

start_vmready_afxdp() {
    vmready_usable || return 1
    # An older binary has no fast path at all: plain AF_XDP is what it runs.
    if has_fast_path_flag && ! start_vmready xdp: --xdp-fast-path off; then
        refused_fast_path_flag || return 1
        log "vmready refused --xdp-fast-path off; starting it without"
        stop_vmready
        start_vmready xdp: || return 1
    elif ! has_fast_path_flag; then
        start_vmready xdp: || return 1
    fi
    require_io_kind 'xdp-native|xdp-generic' "AF_XDP"
}

start_vmready_fast() {
    vmready_usable || return 1
    has_fast_path_flag || { SKIP_REASON="binary has no --xdp-fast-path"; return 1; }
    if ! start_vmready xdp: --xdp-fast-path on; then
        refused_fast_path_flag && SKIP_REASON="binary has no --xdp-fast-path ($SKIP_REASON)"
        return 1
    fi
    # Plain xdp-native or pcap here means the fast path's program was refused.
    require_io_kind "$FAST_IO_KINDS" "the XDP fast path"
}

stop_vmready() {
    [[ -n $VMREADY_PID ]] || return 0
    { exec 7>&-; } 2>/dev/null   # end of input: the console exits by itself (a bare
                                 # exec 2>/dev/null would silence this script for good)
    local i
    for i in $(seq 25); do
        kill -0 "$VMREADY_PID" 2>/dev/null || break
        sleep 0.2
    done
    kill "$VMREADY_PID" 2>/dev/null
    wait "$VMREADY_PID" 2>/dev/null
    VMREADY_PID=""
    clear_xdp vmready
}

vmready_pid() { echo "$VMREADY_PID"; }

# --- Linux bridge ------------------------------------------------------------

start_bridge() {
    ip link add "$LINUX_BR" type bridge stp_state 0 forward_delay 0 || { SKIP_REASON="cannot create bridge"; return 1; }
    LINUX_BR_CREATED=1
    ip link set "$VETH1" master "$LINUX_BR"
    ip link set "$VETH2" master "$LINUX_BR"
    ip link set "$LINUX_BR" up
    IO_KIND=kernel
}

stop_bridge() {
    (( LINUX_BR_CREATED )) && ip link del "$LINUX_BR" 2>/dev/null
    LINUX_BR_CREATED=0
}

no_pid() { echo ""; }

# --- Open vSwitch ------------------------------------------------------------

# The daemons, started once for the whole run when not already running. Every
# ovs-vswitchd thread goes to SWITCH_CPU, and its pmd (the thread polling AF_XDP
# ports) is created there, so that OVS has the one CPU VMready has.
OVS_READY="" OVS_REASON=""
ensure_ovs_daemons() {
    [[ -n $OVS_READY ]] && { SKIP_REASON=$OVS_REASON; [[ $OVS_READY == yes ]]; return; }
    OVS_READY=no
    if ! { command -v ovs-vsctl >/dev/null && [[ -x $OVS_CTL ]]; }; then
        OVS_REASON="openvswitch-switch not installed"; SKIP_REASON=$OVS_REASON; return 1
    fi
    if ! ovs-vsctl --timeout=2 show >/dev/null 2>&1; then
        OVS_STARTED=1
        # The userspace datapath needs no kernel module; if ovs-ctl insists on
        # loading it (containers), start the two daemons without that step.
        if ! "$OVS_CTL" start --system-id=random >"$WORK/ovs.log" 2>&1; then
            "$OVS_CTL" stop >/dev/null 2>&1
            "$OVS_CTL" --no-ovs-vswitchd start --system-id=random >>"$WORK/ovs.log" 2>&1 \
                && ovs-vswitchd unix:$OVS_RUN/db.sock --pidfile --detach \
                       --log-file="$WORK/ovs-vswitchd.log" >>"$WORK/ovs.log" 2>&1
        fi
        if ! ovs-vsctl --timeout=5 show >/dev/null 2>&1; then
            OVS_REASON="OVS daemons did not start (see ovs-ctl)"; SKIP_REASON=$OVS_REASON; return 1
        fi
        [[ -n $SWITCH_CPU ]] && ovs-vsctl set Open_vSwitch . "other_config:pmd-cpu-mask=$(printf '0x%x' $((1 << SWITCH_CPU)))"
    else
        log "OVS was already running: its pmd-cpu-mask is left as configured"
    fi
    OVS_READY=yes
}

stop_ovs_daemons() {
    "$OVS_CTL" stop >/dev/null 2>&1
    OVS_STARTED=0
}

ovs_pid() { cat "$OVS_RUN/ovs-vswitchd.pid" 2>/dev/null; }

# The userspace datapath with both veths as TYPE ports (system or afxdp).
start_ovs_bridge() { # type
    local type=$1
    ensure_ovs_daemons || return 1
    local settings=() veth
    for veth in "$VETH1" "$VETH2"; do
        settings+=(-- add-port "$OVS_BR" "$veth" -- set interface "$veth" "type=$type")
        [[ $type == afxdp ]] && settings+=("options:xdp-mode=$OVS_XDP_MODE" "options:n_rxq=$(rx_queues "$veth")")
    done
    OVS_BR_CREATED=1
    ovs-vsctl --timeout=10 add-br "$OVS_BR" -- set bridge "$OVS_BR" datapath_type=netdev "${settings[@]}" \
        >"$WORK/ovs-vsctl.log" 2>&1 || { SKIP_REASON="ovs-vsctl add-br: $(tail -n 1 "$WORK/ovs-vsctl.log")"; return 1; }
    ip link set "$OVS_BR" up 2>/dev/null
    sleep 1 # the pmd and handler threads of the new ports exist by now
    # Our own daemon only: one someone else runs keeps its affinity.
    (( OVS_STARTED )) && [[ -n $SWITCH_CPU ]] && taskset -a -cp "$SWITCH_CPU" "$(ovs_pid)" >/dev/null 2>&1
    # A port OVS could not open says so in its error column; there is no fallback.
    local error
    for veth in "$VETH1" "$VETH2"; do
        error=$(ovs-vsctl get interface "$veth" error 2>/dev/null)
        if [[ -n $error && $error != '[]' ]]; then SKIP_REASON="OVS $veth: $error"; return 1; fi
    done
    IO_KIND=$type
    if [[ $type == afxdp ]]; then # the mode in use, as the kernel sees it
        local mode1 mode2
        mode1=$(xdp_mode "$VETH1") mode2=$(xdp_mode "$VETH2")
        if [[ $mode1 == none || $mode2 == none ]]; then
            SKIP_REASON="OVS afxdp ports have no XDP program ($VETH1 $mode1, $VETH2 $mode2)"; return 1
        fi
        IO_KIND="afxdp-$mode1"
    fi
    return 0
}

start_ovs() { start_ovs_bridge system; }
start_ovs_afxdp() { start_ovs_bridge afxdp; }

stop_ovs_bridge() {
    (( OVS_BR_CREATED )) && ovs-vsctl --timeout=5 --if-exists del-br "$OVS_BR" 2>/dev/null
    OVS_BR_CREATED=0
    clear_xdp ovs
}

# --- Measurements ------------------------------------------------------------

# Pings both ways so the switch has learned both hosts (known unicast after).
connectivity() {
    ip netns exec "$NS1" ping -c 3 -i 0.2 -W 1 "$IP2" >/dev/null 2>&1 \
        && ip netns exec "$NS2" ping -c 2 -i 0.2 -W 1 "$IP1" >/dev/null 2>&1
}

measure_tcp() {
    command -v iperf3 >/dev/null || { echo "n/a"; return; }
    ip netns exec "$NS2" timeout $((DURATION + 15)) "${LOAD_PIN[@]}" iperf3 -s -1 -B "$IP2" >/dev/null 2>&1 &
    local server=$!
    sleep 0.5
    interruptible ip netns exec "$NS1" timeout $((DURATION + 10)) "${LOAD_PIN[@]}" iperf3 -c "$IP2" -t "$DURATION" -J >"$WORK/iperf.json" 2>/dev/null
    wait "$server" 2>/dev/null
    python3 - "$WORK/iperf.json" <<'EOF' 2>/dev/null || echo "n/a"
import json, sys
result = json.load(open(sys.argv[1]))
print(f"{result['end']['sum_received']['bits_per_second'] / 1e9:.3f}")
EOF
}

host_counter() { ip netns exec "$1" cat "/sys/class/net/eth0/statistics/$2"; }

# What the generator offered: h1's sent frames plus those its veth dropped
# because the other end (the switch's ring, the XDP program's queue) was full.
offered() { echo $(( $(host_counter "$NS1" tx_packets) + $(host_counter "$NS1" tx_dropped) )); }
forwarded() { host_counter "$NS2" rx_packets; }

# utime + stime of every thread of PID, in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null; }

# 60 bytes on the veth, 64 on a wire with the FCS: UDP to h2's discard port.
# Rates over DURATION seconds after a second of ramp-up; the loss over the
# generator's whole run, counted after it stopped and the switch drained (two
# counters read at different instants would make up a loss of their own).
# Prints "forwarded_kpps offered_kpps loss_pct ns_per_pkt cycles_per_pkt cpu_pct"
# (cpu_pct: the switch process's share of one CPU, which shows a starved switch),
# n/a for what could not be measured.
measure_pps() { # switch process id, or empty
    local pid=$1
    command -v trafgen >/dev/null || { echo "n/a n/a n/a n/a n/a n/a"; return; }
    local mac1 mac2
    mac1=$(ip netns exec "$NS1" cat /sys/class/net/eth0/address)
    mac2=$(ip netns exec "$NS2" cat /sys/class/net/eth0/address)
    cat >"$WORK/frame.cfg" <<EOF
{ eth(da=$mac2, sa=$mac1), ipv4(saddr=$IP1, daddr=$IP2, ttl=64), udp(sp=4000, dp=9), fill(0x00, 18) }
EOF
    local start_offered start_forwarded
    start_offered=$(offered) start_forwarded=$(forwarded)
    # One generator process, on the hosts' CPU: the switch has the other.
    ip netns exec "$NS1" timeout $((DURATION + 3)) "${LOAD_PIN[@]}" \
        trafgen --dev eth0 --conf "$WORK/frame.cfg" --cpus 1 --no-cpu-stats >/dev/null 2>&1 &
    local generator=$!
    sleep 1 # ramp-up excluded from the rates
    local perf=""
    if (( PERF_CYCLES )) && [[ -n $pid ]]; then
        perf stat -x, -e cycles -p "$pid" -o "$WORK/perf.csv" -- sleep "$DURATION" >/dev/null 2>&1 &
        perf=$!
    fi
    local rx0 tx0 t0 cpu0="" rx1 tx1 t1 cpu1=""
    rx0=$(forwarded) tx0=$(offered) t0=$(date +%s.%N)
    [[ -n $pid ]] && cpu0=$(cpu_ticks "$pid")
    interruptible sleep "$DURATION"
    rx1=$(forwarded) tx1=$(offered) t1=$(date +%s.%N)
    [[ -n $pid ]] && cpu1=$(cpu_ticks "$pid")
    kill "$generator" 2>/dev/null
    wait "$generator" 2>/dev/null
    sleep 0.5 # what is still in rings reaches h2 or is dropped
    local total_offered total_forwarded
    total_offered=$(( $(offered) - start_offered )) total_forwarded=$(( $(forwarded) - start_forwarded ))
    local cycles=""
    if [[ -n $perf ]]; then
        wait "$perf" 2>/dev/null
        cycles=$(grep ',cycles' "$WORK/perf.csv" 2>/dev/null | cut -d, -f1)
    fi
    python3 - "$rx0" "$rx1" "$tx0" "$tx1" "$t0" "$t1" "$total_forwarded" "$total_offered" \
        "$cpu0" "$cpu1" "$(getconf CLK_TCK)" "$cycles" <<'EOF'
import sys
rx0, rx1, tx0, tx1, t0, t1, total_forwarded, total_offered = map(float, sys.argv[1:9])
cpu0, cpu1, hz, cycles = sys.argv[9:13]
seconds, forwarded = t1 - t0, rx1 - rx0
out = [f"{forwarded / seconds / 1e3:.1f}", f"{(tx1 - tx0) / seconds / 1e3:.1f}",
       f"{max(0.0, 100 * (1 - total_forwarded / total_offered)):.2f}" if total_offered else "n/a"]
out.append(f"{(float(cpu1) - float(cpu0)) / float(hz) * 1e9 / forwarded:.0f}" if cpu0 and cpu1 and forwarded else "n/a")
out.append(f"{float(cycles) / forwarded:.0f}" if cycles.isdigit() and forwarded else "n/a")
out.append(f"{(float(cpu1) - float(cpu0)) / float(hz) / seconds * 100:.0f}" if cpu0 and cpu1 else "n/a")
print(" ".join(out))
EOF
}

# Per-round results, "key metric" -> space-separated values; a failed
# measurement leaves its reason in REASON instead.
declare -A VALUES REASON KIND

record() { # key, metric, value
    if [[ $3 =~ ^[0-9.]+$ ]]; then VALUES["$1 $2"]+="$3 "; fi
}

fail() { # key, reason
    REASON[$1]=$2
    log "$1: $2"
}

run_switch() { # key
    local key=$1
    SKIP_REASON="" IO_KIND=""
    log "round $round: measuring $key"
    note_realtime_processes
    if ! "start_$key"; then
        fail "$key" "$SKIP_REASON"
        "${STOP[$key]}"
        return
    fi
    KIND[$key]=$IO_KIND
    if ! connectivity; then
        fail "$key" "no h1<->h2 connectivity"
        "${STOP[$key]}"
        return
    fi
    # Into files, not $(...): a trap waits for a command substitution to end.
    local tcp pps
    measure_tcp >"$WORK/tcp"
    tcp=$(<"$WORK/tcp")
    connectivity # refresh learning after iperf3
    measure_pps "$("${PID_OF[$key]}")" >"$WORK/pps"
    read -ra pps <"$WORK/pps"
    note_realtime_processes
    # Still on the kind it started on: a port that fell back midway is no figure.
    if [[ $key == vmready_* ]]; then
        local before; before=$(cat "$WORK/io")
        vmready_io_kinds >"$WORK/io"
        if [[ $(cat "$WORK/io") != "$before" ]]; then
            fail "$key" "I/O changed during the round ($(paste -sd/ <<<"$before") -> $(paste -sd/ "$WORK/io"))"
            "${STOP[$key]}"
            return
        fi
    fi
    record "$key" tcp "$tcp"
    record "$key" pps "${pps[0]}"; record "$key" gen "${pps[1]}"; record "$key" loss "${pps[2]}"
    record "$key" ns "${pps[3]}"; record "$key" cycles "${pps[4]}"; record "$key" cpu "${pps[5]}"
    log "$key on ${IO_KIND}: TCP $tcp Gbit/s, 64B ${pps[0]} kpps (offered ${pps[1]}, loss ${pps[2]} %, switch CPU ${pps[5]} %)"
    "${STOP[$key]}"
}

# --- Report ------------------------------------------------------------------

# "min median max count" of the recorded values, or nothing.
summary() { # key, metric
    local values=${VALUES["$1 $2"]:-}
    [[ -n $values ]] || return 0
    tr ' ' '\n' <<<"$values" | grep . | sort -g | awk '
        { v[NR] = $1 }
        END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%s %s %s %d\n", v[1], m, v[NR], NR }'
}

# The median, or n/a.
median() { # key, metric
    local s m; s=$(summary "$1" "$2")
    [[ -n $s ]] && { read -r _ m _ _ <<<"$s"; echo "$m"; return; }
    echo "n/a"
}

# "min/median/max" for the table, with the round count when rounds failed.
cell() { # key, metric
    local s; s=$(summary "$1" "$2")
    [[ -n $s ]] || { echo "n/a"; return; }
    local lo m hi n; read -r lo m hi n <<<"$s"
    local text="$lo/$m/$hi"
    (( n < ROUNDS )) && text+=" ($n/$ROUNDS)"
    echo "$text"
}

ratio() { # a / b, or n/a when either is not a number
    python3 -c "import sys
try: print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')
except Exception: print('n/a')" "$1" "$2"
}

verdict() { # value, target (value >= target is met)
    python3 -c "import sys
try: print('met' if float(sys.argv[1]) >= float(sys.argv[2]) else 'NOT met')
except Exception: print('not measured')" "$1" "$2"
}

no_loss_verdict() { # loss %, as printed (two decimals)
    [[ $1 == n/a ]] && { echo "not measured"; return; }
    awk -v loss="$1" 'BEGIN { print (loss + 0 == 0) ? "met" : "NOT met" }'
}

declare -A TITLE=([vmready_pcap]="VMready pcap" [vmready_afxdp]="VMready AF_XDP" [vmready_fast]="VMready AF_XDP+fast"
                  [ovs_afxdp]="OVS AF_XDP" [ovs]="OVS netdev" [bridge]="Linux bridge")

print_table() {
    local cpu_unit="ns/pkt (task-clock)"
    (( PERF_CYCLES )) && cpu_unit="cycles/pkt"
    echo
    echo "lab-bench: $ROUNDS interleaved rounds of ${DURATION} s per figure; switch process on CPU ${SWITCH_CPU:-any}, hosts and generator on CPU ${LOAD_CPU:-any}"
    echo "machine: $(nproc) CPUs, load average $LOAD_AT_START at the start, $(cut -d" " -f1-3 /proc/loadavg) at the end;"
    echo "before the run: $IDLE_AT_START (other work on these CPUs skews every figure)"
    [[ -n ${RT_SEEN[*]:-} ]] && echo "WARNING: real-time processes ran meanwhile (comm[pid]:CPUs): ${RT_SEEN[*]};" \
        "a CPU they hold leaves the switch or the generator about 5%"
    echo "hosts h1, h2: checksum offload off, GRO $HOST_GRO; figures are min/median/max over the rounds"
    echo "gen: what trafgen offered; CPU %: the switch process's share of a CPU during the 64-byte run (low"
    echo "with high loss: the switch was starved); last column: its CPU time per packet forwarded"
    echo "(${PERF_NOTE}; task-clock from /proc/PID/stat utime+stime; kernel forwarding in softirq is not in it)"
    echo
    printf '%-20s %-16s %-20s %-20s %-9s %-7s %-6s %s\n' switch I/O "TCP Gbit/s" "64B fwd kpps" "gen kpps" "loss %" "CPU %" "$cpu_unit"
    local key cpu
    for key in $ALL_SWITCHES; do
        if [[ " $SWITCHES " != *" $key "* ]]; then
            printf '%-20s n/a (not in SWITCHES)\n' "${TITLE[$key]}"
            continue
        fi
        if [[ -z ${VALUES["$key pps"]:-}${VALUES["$key tcp"]:-} ]]; then
            printf '%-20s n/a (%s)\n' "${TITLE[$key]}" "${REASON[$key]:-no figure}"
            continue
        fi
        if (( PERF_CYCLES )); then cpu=$(median "$key" cycles); else cpu=$(median "$key" ns); fi
        printf '%-20s %-16s %-20s %-20s %-9s %-7s %-6s %s\n' "${TITLE[$key]}" "${KIND[$key]:-?}" \
            "$(cell "$key" tcp)" "$(cell "$key" pps)" "$(median "$key" gen)" "$(median "$key" loss)" \
            "$(median "$key" cpu)" "$cpu"
        [[ -n ${REASON[$key]:-} ]] && printf '%-20s   (a round failed: %s)\n' "" "${REASON[$key]}"
    done
    echo
    echo "ratios of medians, against the targets:"
    local r
    r=$(ratio "$(median vmready_afxdp pps)" "$(median ovs_afxdp pps)")
    printf '  %-46s %-6s target >= 1.00  %s\n' "VMready AF_XDP / OVS AF_XDP, 64-byte pps" "$r" "$(verdict "$r" 1.00)"
    r=$(ratio "$(median vmready_afxdp tcp)" "$(median ovs_afxdp tcp)")
    printf '  %-46s %-6s target >= 1.05  %s\n' "VMready AF_XDP / OVS AF_XDP, TCP" "$r" "$(verdict "$r" 1.05)"
    r=$(ratio "$(median vmready_fast tcp)" "$(median bridge tcp)")
    printf '  %-46s %-6s target >= 1.00  %s\n' "VMready AF_XDP+fast / Linux bridge, TCP" "$r" "$(verdict "$r" 1.00)"
    local loss; loss=$(median vmready_fast loss)
    printf '  %-46s %-6s target 0.00     %s\n' "VMready AF_XDP+fast 64-byte loss %" "$loss" "$(no_loss_verdict "$loss")"
    printf '    (generator offered %s kpps, forwarded %s kpps)\n' "$(median vmready_fast gen)" "$(median vmready_fast pps)"
}

# The same figures as NAME VALUE UNIT lines (medians), and why any is missing.
print_lines() {
    echo
    local key metric name unit value
    for key in $ALL_SWITCHES; do
        for metric in tcp pps gen loss ns cycles cpu; do
            case $metric in
                tcp) name=lab.veth_tcp_gbps unit=Gbit/s ;;
                pps) name=lab.veth_64B_kpps unit=kpps ;;
                gen) name=lab.veth_64B_generator_kpps unit=kpps ;;
                loss) name=lab.veth_64B_loss_pct unit=% ;;
                ns) name=lab.veth_64B_cpu_ns_per_packet unit=ns ;;
                cpu) name=lab.veth_64B_switch_cpu_pct unit=% ;;
                cycles) name=lab.veth_64B_cycles_per_packet unit=cycles ;;
            esac
            value=$(median "$key" "$metric")
            if [[ $value != n/a ]]; then
                echo "$name.$key $value $unit"
            elif [[ $metric == tcp || $metric == pps ]]; then
                # Only the two headline figures carry their reason; the rest are quiet.
                local why=${REASON[$key]:-not measured}
                [[ " $SWITCHES " == *" $key "* ]] || why="not in SWITCHES"
                echo "$name.$key n/a ($why)"
            fi
        done
    done
    echo "lab.ratio.afxdp_64B_pps.vmready_afxdp_over_ovs_afxdp $(ratio "$(median vmready_afxdp pps)" "$(median ovs_afxdp pps)") x"
    echo "lab.ratio.afxdp_tcp.vmready_afxdp_over_ovs_afxdp $(ratio "$(median vmready_afxdp tcp)" "$(median ovs_afxdp tcp)") x"
    echo "lab.ratio.tcp.vmready_fast_over_bridge $(ratio "$(median vmready_fast tcp)" "$(median bridge tcp)") x"
}

# --- Main --------------------------------------------------------------------

declare -A STOP=([vmready_pcap]=stop_vmready [vmready_afxdp]=stop_vmready [vmready_fast]=stop_vmready
                 [ovs_afxdp]=stop_ovs_bridge [ovs]=stop_ovs_bridge [bridge]=stop_bridge)
declare -A PID_OF=([vmready_pcap]=vmready_pid [vmready_afxdp]=vmready_pid [vmready_fast]=vmready_pid
                   [ovs_afxdp]=ovs_pid [ovs]=ovs_pid [bridge]=no_pid)
for key in $SWITCHES; do
    [[ -n ${STOP[$key]:-} ]] || { log "unknown switch '$key' in SWITCHES (known: $ALL_SWITCHES)"; exit 2; }
done

LOAD_AT_START=$(cut -d" " -f1-3 /proc/loadavg)
IDLE_AT_START=$(cpu_idle_now)
install_missing
probe_perf_cycles
make_hosts
# The switches of one round, starting with the round's own.
round_order() { # round number
    local keys=($ALL_SWITCHES) i n; n=${#keys[@]}
    for (( i = 0; i < n; i++ )); do echo "${keys[(i + $1 - 1) % n]}"; done
}

for round in $(seq "$ROUNDS"); do
    for key in $(round_order "$round"); do
        [[ " $SWITCHES " == *" $key "* ]] && run_switch "$key"
    done
done
print_table
print_lines
