#!/usr/bin/env bash
# Lab benchmark: the same two veth-attached hosts switched in turn by VMready,
# a Linux bridge and Open vSwitch's userspace datapath, measuring
#   lab.veth_tcp_gbps   iperf3 TCP h1 -> h2
#   lab.veth_64B_kpps   64-byte frames from trafgen in h1, counted at h2's veth
# and printing them side by side with ratios.
#
# Root only. Everything it creates (namespaces h1 and h2, veths vbh1/vbh2, the
# bridges, OVS daemons it started) is removed on exit, even on failure. All
# traffic stays inside those namespaces, addressed from 198.18.0.0/15.
#
# Environment: VMREADY_BIN (default .build/release/vmready), DURATION seconds
# per measurement (default 5), VMREADY_IO the --attach prefix choosing the
# switch's I/O kind (xdp: or pcap:; default none: AF_XDP where the kernel
# allows it), SWITCHES which to measure (default "vmready bridge ovs").
set -uo pipefail

if [[ $EUID -ne 0 ]]; then
    echo "bench.sh: must run as root (it creates network namespaces, veths and bridges)" >&2
    exit 1
fi

cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
VMREADY_BIN=${VMREADY_BIN:-.build/release/vmready}
VMREADY_IO=${VMREADY_IO:-}
SWITCHES=${SWITCHES:-vmready bridge ovs}
NS1=h1 NS2=h2
VETH1=vbh1 VETH2=vbh2          # root-namespace ends: the switch ports
IP1=198.18.1.1 IP2=198.18.1.2  # benchmark range (RFC 2544), never routed
LINUX_BR=vbbr0
OVS_BR=vbovs0
WORK=$(mktemp -d /tmp/vmready-bench.XXXXXX)

VMREADY_PID=""
OVS_STARTED=0
POLICY_RC_CREATED=0

log() { echo "bench.sh: $*" >&2; }

cleanup() {
    set +e
    stop_vmready
    ip link del "$LINUX_BR" 2>/dev/null
    if command -v ovs-vsctl >/dev/null && [[ -S /var/run/openvswitch/db.sock ]]; then
        ovs-vsctl --timeout=5 --if-exists del-br "$OVS_BR" 2>/dev/null
    fi
    if (( OVS_STARTED )); then stop_ovs; fi
    (( POLICY_RC_CREATED )) && rm -f /usr/sbin/policy-rc.d
    ip netns del "$NS1" 2>/dev/null
    ip netns del "$NS2" 2>/dev/null
    ip link del "$VETH1" 2>/dev/null
    ip link del "$VETH2" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Tools -------------------------------------------------------------------

install_missing() {
    local missing=()
    command -v iperf3 >/dev/null || missing+=(iperf3)
    command -v trafgen >/dev/null || missing+=(netsniff-ng)
    command -v ethtool >/dev/null || missing+=(ethtool)
    command -v ovs-vswitchd >/dev/null || missing+=(openvswitch-switch)
    command -v python3 >/dev/null || missing+=(python3)
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

# --- Topology ----------------------------------------------------------------

# h1 and h2, each with eth0 whose peer (vbh1, vbh2) stays in the root namespace
# for the switch under test. Checksum offload off on both ends: a packet-socket
# switch would otherwise forward TCP segments with unfilled checksums.
make_hosts() {
    local n
    for n in "$NS1" "$NS2" ; do
        if ip netns list | awk '{print $1}' | grep -qx "$n"; then
            log "namespace $n already exists (another lab run?); not touching it"
            NS1="" NS2=""; exit 1
        fi
    done
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
        ip netns exec "$ns" ip addr add "$ip/24" dev eth0
        ip netns exec "$ns" ip link set lo up
        ip netns exec "$ns" ip link set eth0 up
        ip link set "$veth" up
    done
}

# --- Switches ----------------------------------------------------------------

start_vmready() {
    if [[ ! -x $VMREADY_BIN ]]; then
        if [[ $VMREADY_BIN == .build/release/vmready ]]; then
            log "building vmready (release)"
            swift build -c release --product vmready >"$WORK/build.log" 2>&1 \
                || { SKIP_REASON="build failed, see swift build -c release --product vmready"; return 1; }
        else
            SKIP_REASON="$VMREADY_BIN not found"; return 1
        fi
    fi
    if ! "$VMREADY_BIN" --help 2>&1 | grep -q -- --attach; then
        SKIP_REASON="$VMREADY_BIN has no --attach"; return 1
    fi
    # Its stdin is a fifo this script holds open (fd 7): the console keeps
    # reading, so the switch keeps forwarding until the fifo is closed.
    mkfifo "$WORK/stdin"
    "$VMREADY_BIN" --ports 2 --attach "1=$VMREADY_IO$VETH1" --attach "2=$VMREADY_IO$VETH2" <"$WORK/stdin" >"$WORK/vmready.log" 2>&1 &
    VMREADY_PID=$!
    exec 7>"$WORK/stdin"
    sleep 2
    if ! kill -0 "$VMREADY_PID" 2>/dev/null; then
        SKIP_REASON="vmready exited: $(tail -n 1 "$WORK/vmready.log")"
        VMREADY_PID=""
        return 1
    fi
}

stop_vmready() {
    [[ -n $VMREADY_PID ]] || return 0
    exec 7>&- 2>/dev/null   # end of input: the console exits by itself
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do
        kill -0 "$VMREADY_PID" 2>/dev/null || break
        sleep 0.2
    done
    kill "$VMREADY_PID" 2>/dev/null
    wait "$VMREADY_PID" 2>/dev/null
    VMREADY_PID=""
}

start_linux_bridge() {
    ip link add "$LINUX_BR" type bridge stp_state 0 forward_delay 0 || { SKIP_REASON="cannot create bridge"; return 1; }
    ip link set "$VETH1" master "$LINUX_BR"
    ip link set "$VETH2" master "$LINUX_BR"
    ip link set "$LINUX_BR" up
}

stop_linux_bridge() { ip link del "$LINUX_BR" 2>/dev/null; }

OVS_CTL=/usr/share/openvswitch/scripts/ovs-ctl

stop_ovs() {
    "$OVS_CTL" stop >/dev/null 2>&1
    OVS_STARTED=0
}

start_ovs() {
    command -v ovs-vsctl >/dev/null && [[ -x $OVS_CTL ]] || { SKIP_REASON="openvswitch-switch not installed"; return 1; }
    if ! ovs-vsctl --timeout=2 show >/dev/null 2>&1; then
        # The netdev datapath needs no kernel module; if ovs-ctl insists on
        # loading it (containers), start the two daemons without that step.
        if ! "$OVS_CTL" start --system-id=random >"$WORK/ovs.log" 2>&1; then
            "$OVS_CTL" stop >/dev/null 2>&1
            "$OVS_CTL" --no-ovs-vswitchd start --system-id=random >>"$WORK/ovs.log" 2>&1 \
                && ovs-vswitchd unix:/var/run/openvswitch/db.sock --pidfile --detach \
                       --log-file="$WORK/ovs-vswitchd.log" >>"$WORK/ovs.log" 2>&1
        fi
        OVS_STARTED=1
        ovs-vsctl --timeout=5 show >/dev/null 2>&1 || { SKIP_REASON="OVS daemons did not start (see ovs-ctl)"; return 1; }
    fi
    ovs-vsctl --timeout=10 add-br "$OVS_BR" -- set bridge "$OVS_BR" datapath_type=netdev \
        -- add-port "$OVS_BR" "$VETH1" -- set interface "$VETH1" type=system \
        -- add-port "$OVS_BR" "$VETH2" -- set interface "$VETH2" type=system \
        || { SKIP_REASON="ovs-vsctl add-br failed"; return 1; }
    ip link set "$OVS_BR" up 2>/dev/null
    sleep 1
}

stop_ovs_bridge() {
    ovs-vsctl --timeout=5 --if-exists del-br "$OVS_BR" 2>/dev/null
    if (( OVS_STARTED )); then stop_ovs; fi
}

# --- Measurements ------------------------------------------------------------

# Pings both ways so the switch has learned both hosts (known unicast after).
connectivity() {
    ip netns exec "$NS1" ping -c 3 -i 0.2 -W 1 "$IP2" >/dev/null 2>&1 \
        && ip netns exec "$NS2" ping -c 2 -i 0.2 -W 1 "$IP1" >/dev/null 2>&1
}

measure_tcp() {
    command -v iperf3 >/dev/null || { echo "n/a"; return; }
    ip netns exec "$NS2" timeout $((DURATION + 15)) iperf3 -s -1 -B "$IP2" >/dev/null 2>&1 &
    local server=$!
    sleep 0.5
    ip netns exec "$NS1" timeout $((DURATION + 10)) iperf3 -c "$IP2" -t "$DURATION" -J >"$WORK/iperf.json" 2>/dev/null
    wait "$server" 2>/dev/null
    python3 - "$WORK/iperf.json" <<'EOF' 2>/dev/null || echo "n/a"
import json, sys
result = json.load(open(sys.argv[1]))
print(f"{result['end']['sum_received']['bits_per_second'] / 1e9:.3f}")
EOF
}

rx_packets() { ip netns exec "$NS2" cat /sys/class/net/eth0/statistics/rx_packets; }

# 60 bytes on the veth, 64 on a wire with the FCS: UDP to h2's discard port.
measure_pps() {
    command -v trafgen >/dev/null || { echo "n/a"; return; }
    local mac1 mac2
    mac1=$(ip netns exec "$NS1" cat /sys/class/net/eth0/address)
    mac2=$(ip netns exec "$NS2" cat /sys/class/net/eth0/address)
    cat >"$WORK/frame.cfg" <<EOF
{ eth(da=$mac2, sa=$mac1), ipv4(saddr=$IP1, daddr=$IP2, ttl=64), udp(sp=4000, dp=9), fill(0x00, 18) }
EOF
    # One generator CPU: on a small machine the switch needs the other.
    ip netns exec "$NS1" timeout $((DURATION + 3)) trafgen --dev eth0 --conf "$WORK/frame.cfg" --cpus 1 \
        >/dev/null 2>&1 &
    local generator=$!
    sleep 1 # ramp-up excluded
    local c0 t0 c1 t1
    c0=$(rx_packets) t0=$(date +%s.%N)
    sleep "$DURATION"
    c1=$(rx_packets) t1=$(date +%s.%N)
    kill "$generator" 2>/dev/null
    wait "$generator" 2>/dev/null
    python3 -c "print(f'{($c1 - $c0) / ($t1 - $t0) / 1e3:.1f}')"
}

declare -A TCP PPS
run_switch() { # key, start function, stop function
    local key=$1 start=$2 stop=$3
    SKIP_REASON=""
    log "measuring $key"
    if ! $start; then
        TCP[$key]="n/a ($SKIP_REASON)" PPS[$key]="n/a ($SKIP_REASON)"
        log "$key: $SKIP_REASON"
        $stop
        return
    fi
    if ! connectivity; then
        TCP[$key]="n/a (no h1<->h2 connectivity)" PPS[$key]="n/a (no h1<->h2 connectivity)"
        log "$key: h1 cannot reach h2"
        $stop
        return
    fi
    TCP[$key]=$(measure_tcp)
    connectivity # refresh learning after iperf3
    PPS[$key]=$(measure_pps)
    $stop
}

# --- Main --------------------------------------------------------------------

install_missing
make_hosts
declare -A START=([vmready]=start_vmready [bridge]=start_linux_bridge [ovs]=start_ovs)
declare -A STOP=([vmready]=stop_vmready [bridge]=stop_linux_bridge [ovs]=stop_ovs_bridge)
for key in vmready bridge ovs; do
    if [[ " $SWITCHES " == *" $key "* ]]; then
        run_switch "$key" "${START[$key]}" "${STOP[$key]}"
    else
        TCP[$key]="n/a (not in SWITCHES)" PPS[$key]="n/a (not in SWITCHES)"
    fi
done

ratio() { # a / b, or n/a when either is not a number
    python3 -c "import sys
try: print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')
except Exception: print('n/a')" "$1" "$2"
}

echo
printf '%-20s %-14s %-14s %-14s %-15s %-12s\n' metric VMready "Linux bridge" "OVS netdev" "VMready/bridge" "VMready/OVS"
for metric in tcp pps; do
    if [[ $metric == tcp ]]; then
        name=lab.veth_tcp_gbps; v=${TCP[vmready]} b=${TCP[bridge]} o=${TCP[ovs]}
    else
        name=lab.veth_64B_kpps; v=${PPS[vmready]} b=${PPS[bridge]} o=${PPS[ovs]}
    fi
    printf '%-20s %-14s %-14s %-14s %-15s %-12s\n' "$name" "${v%% *}" "${b%% *}" "${o%% *}" \
        "$(ratio "$v" "$b")" "$(ratio "$v" "$o")"
done
echo
# The same figures as NAME VALUE UNIT lines, and why any is missing.
for key in vmready bridge ovs; do
    echo "lab.veth_tcp_gbps.$key ${TCP[$key]} Gbit/s"
    echo "lab.veth_64B_kpps.$key ${PPS[$key]} kpps"
done
