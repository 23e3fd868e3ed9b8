#!/bin/sh
# Records the 802.1Qbg exchange between two lldpad instances (Debian lldpad
# 1.1+git20221028): one the *station* (driven by vdptool), one the *bridge* (its bridge
# accepts every request, which is what a reference capture of a correct exchange needs).
# Writes OUT.pcap (everything on the veth) and prints nothing else of interest; the frames
# kept in lldpad-evb.hex were picked from it (see that file's header). Root only; creates
# namespaces evbst/evbbr and removes them on exit, even on failure. No IPv4 is used at all.
#
# usage: lldpad-evb-capture.sh OUT.pcap
set -u
OUT=${1:?usage: $0 OUT.pcap}
WORK=$(mktemp -d)
cleanup() {
    [ -n "${DUMP:-}" ] && kill "$DUMP" 2>/dev/null
    [ -n "${ST:-}" ] && kill "$ST" 2>/dev/null
    [ -n "${BR:-}" ] && kill "$BR" 2>/dev/null
    sleep 0.5
    ip netns del evbst 2>/dev/null
    ip netns del evbbr 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

ip netns add evbst && ip netns add evbbr || exit 1
ip link add st0 netns evbst type veth peer name br0 netns evbbr || exit 1
ip -n evbst link set st0 address 02:00:00:00:51:01
ip -n evbbr link set br0 address 02:00:00:00:b7:01
ip -n evbst link set lo up; ip -n evbbr link set lo up
ip -n evbst link set st0 up; ip -n evbbr link set br0 up

# A private /dev/shm per instance: lldpad refuses to start while another is recorded there.
lldpad_in() { # NS CONF LOG
    ip netns exec "$1" sh -c "mount -t tmpfs -o size=1m tmpfs /dev/shm && exec /usr/sbin/lldpad -p -V 7 -f $2" >"$3" 2>&1 &
}

# The bridge's mode must be in its config file before it starts: run it once to let
# lldptool write that file, then restart it on it.
: >"$WORK/br.conf"
lldpad_in evbbr "$WORK/br.conf" "$WORK/br0.log"; BR=$!
sleep 1
ip netns exec evbbr lldptool -L -i br0 -g ncb adminStatus=rxtx >/dev/null
ip netns exec evbbr lldptool -T -i br0 -g ncb -V evb -c enableTx=yes >/dev/null
ip netns exec evbbr lldptool -T -i br0 -g ncb -V evb -c evbmode=bridge >/dev/null
ip netns exec evbbr lldptool -T -i br0 -g ncb -V evb -c evbrrcap=yes >/dev/null
kill "$BR"; wait "$BR" 2>/dev/null; BR=
ip netns exec evbbr tcpdump -i br0 -U -w "$OUT" 'ether proto 0x88cc or ether proto 0x8940' 2>"$WORK/dump.log" &
DUMP=$!
sleep 1
lldpad_in evbbr "$WORK/br.conf" "$WORK/br.log"; BR=$!
: >"$WORK/st.conf"
lldpad_in evbst "$WORK/st.conf" "$WORK/st.log"; ST=$!
sleep 1
st() { ip netns exec evbst "$@"; }
st lldptool -L -i st0 -g ncb adminStatus=rxtx >/dev/null
st lldptool -T -i st0 -g ncb -V evb -c enableTx=yes >/dev/null
st lldptool -T -i st0 -g ncb -V evb -c evbmode=station >/dev/null
st lldptool -T -i st0 -g ncb -V evb -c evbrrreq=yes >/dev/null
# The bridge sends its own EVB TLV only every 30 s: wait for the negotiation.
for _ in $(seq 1 40); do
    st lldptool -t -n -i st0 -g ncb -V evb 2>/dev/null | grep -q -i "bridge" && break
    sleep 1
done
st lldptool -t -n -i st0 -g ncb -V evb
vdp() { # MODE UUID FILTER
    st vdptool -i st0 -T -W -V assoc -c mode="$1" -c mgrid2=mgr1 -c typeid=4711 -c typeidver=1 \
        -c uuid="$2" -c hints=none -c filter="$3"
}
vdp preassoc a1412857-60f7-4ce1-e95a-2164943f53a1 100-52:54:00:8e:aa:11
vdp preassoc-rr a1412857-60f7-4ce1-e95a-2164943f53a2 0-52:54:00:8e:aa:12
vdp assoc a1412857-60f7-4ce1-e95a-2164943f53a3 100-52:54:00:8e:aa:13
vdp assoc a1412857-60f7-4ce1-e95a-2164943f53a4 200
vdp assoc a1412857-60f7-4ce1-e95a-2164943f53a5 100-52:54:00:8e:aa:15-77
vdp assoc a1412857-60f7-4ce1-e95a-2164943f53a6 100--77
# Keep-alives: the station repeats its requests every 10*2^RKA us.
sleep 12
vdp deassoc a1412857-60f7-4ce1-e95a-2164943f53a3 100-52:54:00:8e:aa:13
sleep 1
st vdptool -i st0 -t -V assoc
