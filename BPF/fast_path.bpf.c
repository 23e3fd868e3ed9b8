// The XDP fast path for known unicast (see Sources/Dataplane/README.md, "XDP fast path").
//
// One program, loaded once by the switch and attached to every fast-path port. It forwards
// a frame to another port in the kernel only when userspace would do nothing but forward
// it unchanged; everything else goes to the port's AF_XDP socket exactly as libxdp's
// default program would send it, and the switch handles it there. When in doubt: userspace.
//
// Why each rule keeps the switch's behaviour:
// - Learning, moves, MAC limits and port security stay in userspace: the kernel forwards
//   only when the SOURCE is already in the map on THIS ingress port in the frame's VLAN.
//   A new station, a station that moved (a migrated VM) or one refused by a limit is not,
//   so its frames reach userspace, which learns (and tells the VM layer) and then updates
//   the map. A source in the map is by definition learned already.
// - Only untagged frames of a few EtherTypes (IPv4, ARP, IPv6, as userspace allows them)
//   between eligible ports: access ports without ACLs, enabled, not vNIC ports. Tagged
//   frames, S-tagged frames, control EtherTypes the switch punts, multicast and broadcast
//   destinations (link-local 01:80:c2:... included) all go to userspace.
// - Stations with a policy (ACL, shaping, VLAN change) are never put in the map by
//   userspace, so a frame from or to one always takes the userspace path.
// - The destination port must be eligible and in the same VLAN, and not the ingress port
//   (userspace filters or hairpins that case).
// - Ageing: each hit refreshes the source entry's last_seen (at most once a second, to keep
//   the entry's cache line clean); userspace reads it before ageing an entry out.
// - Counters: per-CPU, per port, what the kernel forwarded; userspace adds them to the
//   port's own counters.
// - Entries carry the generation they were written in; userspace bumps the generation to
//   invalidate the whole map at once (a resync) and rewrites what is still true.
// - A redirect into a veth is lost unless the veth's peer (the host side) has GRO on or an
//   XDP program (the veth then lacks NETDEV_XDP_ACT_NDO_XMIT), and the kernel says so only
//   in tracepoints: the two programs at the end record such drops per port, and the
//   kernel stops forwarding to that port at once (its frames take the userspace path,
//   whose AF_XDP transmit has no such need); userspace counts the dropped frames as the
//   port's tx drops and shows them.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "fast_path_maps.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

// The port's AF_XDP sockets, at port * VMREADY_FP_MAX_QUEUES + rx queue.
struct {
    __uint(type, BPF_MAP_TYPE_XSKMAP);
    __uint(max_entries, (VMREADY_FP_MAX_PORTS + 1) * VMREADY_FP_MAX_QUEUES);
    __type(key, __u32);
    __type(value, __u32);
} xsks SEC(".maps");

// Where a forwarded frame leaves: the port's interface, by port number.
struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP);
    __uint(max_entries, VMREADY_FP_MAX_PORTS + 1);
    __type(key, __u32);
    __type(value, struct bpf_devmap_val);
} egress SEC(".maps");

// The receiving interface's port.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, VMREADY_FP_MAX_PORTS);
    __type(key, __u32);
    __type(value, __u32);
} ifindex_ports SEC(".maps");

// Per port: may the kernel forward from and to it, and in which VLAN.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, VMREADY_FP_MAX_PORTS + 1);
    __type(key, __u32);
    __type(value, struct vmready_fp_port);
} ports SEC(".maps");

// Switch-wide: the generation in force and the EtherTypes the kernel may forward.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct vmready_fp_settings);
} settings SEC(".maps");

// (VLAN, MAC) -> port, for stations without policy. Sized by userspace before loading
// (the MAC table's capacity); not preallocated, since the table may be large and sparse.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct vmready_fp_key);
    __type(value, struct vmready_fp_station);
} stations SEC(".maps");

// Per port, per CPU: what the kernel forwarded.
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, VMREADY_FP_MAX_PORTS + 1);
    __type(key, __u32);
    __type(value, struct vmready_fp_counters);
} counters SEC(".maps");

// Per port: frames the kernel could not send there (see xdp_devmap_xmit below). Any makes
// the port no destination for the fast path.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, VMREADY_FP_MAX_PORTS + 1);
    __type(key, __u32);
    __type(value, __u64);
} egress_drops SEC(".maps");

static __always_inline int to_userspace(__u32 port, __u32 queue) {
    __u32 key = port * VMREADY_FP_MAX_QUEUES + queue;
    // No socket on the queue (not bound yet): the kernel stack, as libxdp's program does.
    return bpf_redirect_map(&xsks, key, XDP_PASS);
}

static __always_inline int is_multicast(const __u8 *mac) { return mac[0] & 1; }

SEC("xdp")
int vmready_fast_path(struct xdp_md *ctx) {
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;
    __u32 ifindex = ctx->ingress_ifindex;
    __u32 queue = ctx->rx_queue_index;

    __u32 *in_port = bpf_map_lookup_elem(&ifindex_ports, &ifindex);
    if (!in_port || *in_port == 0 || *in_port > VMREADY_FP_MAX_PORTS) return XDP_PASS;
    __u32 ingress = *in_port;
    if (queue >= VMREADY_FP_MAX_QUEUES) return XDP_PASS;

    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > data_end) return to_userspace(ingress, queue);
    if (is_multicast(eth->h_dest) || is_multicast(eth->h_source)) return to_userspace(ingress, queue);

    __u32 zero = 0;
    struct vmready_fp_settings *global = bpf_map_lookup_elem(&settings, &zero);
    if (!global || !global->enabled) return to_userspace(ingress, queue);
    __u16 type = bpf_ntohs(eth->h_proto);
    __u32 allowed = (type == ETH_P_IP && (global->ethertypes & VMREADY_FP_IPV4))
        || (type == ETH_P_ARP && (global->ethertypes & VMREADY_FP_ARP))
        || (type == ETH_P_IPV6 && (global->ethertypes & VMREADY_FP_IPV6));
    if (!allowed) return to_userspace(ingress, queue);

    struct vmready_fp_port *from = bpf_map_lookup_elem(&ports, &ingress);
    if (!from || !from->eligible || from->vlan == 0) return to_userspace(ingress, queue);

    struct vmready_fp_key source_key = { .vlan = from->vlan };
    __builtin_memcpy(source_key.mac, eth->h_source, ETH_ALEN);
    struct vmready_fp_station *source = bpf_map_lookup_elem(&stations, &source_key);
    if (!source || source->port != ingress || source->generation != global->generation)
        return to_userspace(ingress, queue);

    struct vmready_fp_key destination_key = { .vlan = from->vlan };
    __builtin_memcpy(destination_key.mac, eth->h_dest, ETH_ALEN);
    struct vmready_fp_station *destination = bpf_map_lookup_elem(&stations, &destination_key);
    if (!destination || destination->generation != global->generation) return to_userspace(ingress, queue);
    __u32 target = destination->port;
    if (target == ingress || target == 0 || target > VMREADY_FP_MAX_PORTS) return to_userspace(ingress, queue);
    struct vmready_fp_port *to = bpf_map_lookup_elem(&ports, &target);
    if (!to || !to->eligible || to->vlan != from->vlan) return to_userspace(ingress, queue);
    __u64 *dropped = bpf_map_lookup_elem(&egress_drops, &target);
    if (!dropped || *dropped != 0) return to_userspace(ingress, queue);

    int action = bpf_redirect_map(&egress, target, 0);
    if (action != XDP_REDIRECT) return to_userspace(ingress, queue);

    __u64 now = bpf_ktime_get_ns();
    if (now - source->last_seen > 1000000000ULL) source->last_seen = now;
    // The helper, not data_end - data: pointer arithmetic between packet pointers is
    // refused to programs loaded without CAP_PERFMON.
    __u64 length = bpf_xdp_get_buff_len(ctx);
    struct vmready_fp_counters *rx = bpf_map_lookup_elem(&counters, &ingress);
    if (rx) {
        rx->rx_packets++;
        rx->rx_bytes += length;
    }
    struct vmready_fp_counters *tx = bpf_map_lookup_elem(&counters, &target);
    if (tx) {
        tx->tx_packets++;
        tx->tx_bytes += length;
    }
    return action;
}


// Only the field the program reads; CO-RE finds it in the running kernel's BTF.
struct net_device {
    int ifindex;
} __attribute__((preserve_access_index));

static __always_inline void count_egress_drops(__u32 port, __u64 drops) {
    __u64 *dropped = bpf_map_lookup_elem(&egress_drops, &port);
    if (dropped) __sync_fetch_and_add(dropped, drops);
}

// A redirect refused at once (a veth that cannot take redirected frames: EOPNOTSUPP):
// when it came from one of our ports through the egress DEVMAP, `index` is the port.
SEC("tp_btf/xdp_redirect_err")
int vmready_redirect_err(unsigned long long *ctx) {
    // The tracepoint's arguments: dev, xdp, tgt, err, map_type, map_id, index.
    const struct net_device *dev = (const struct net_device *)ctx[0];
    __u32 map_type = (__u32)ctx[4];
    __u32 index = (__u32)ctx[6];
    if (!dev || map_type != BPF_MAP_TYPE_DEVMAP || index == 0 || index > VMREADY_FP_MAX_PORTS) return 0;
    __u32 ifindex = (__u32)dev->ifindex;
    if (!bpf_map_lookup_elem(&ifindex_ports, &ifindex)) return 0;
    count_egress_drops(index, 1);
    return 0;
}

// After each flush of redirected frames to a device: `drops` of them were not sent (a veth
// whose peer has neither GRO nor an XDP program refuses them all).
SEC("tp_btf/xdp_devmap_xmit")
int vmready_devmap_xmit(unsigned long long *ctx) {
    // The tracepoint's arguments: from_dev, to_dev, sent, drops, err.
    const struct net_device *to_dev = (const struct net_device *)ctx[1];
    int drops = (int)ctx[3];
    if (drops <= 0 || !to_dev) return 0;
    __u32 ifindex = (__u32)to_dev->ifindex;
    __u32 *port = bpf_map_lookup_elem(&ifindex_ports, &ifindex);
    if (port) count_egress_drops(*port, (__u64)drops);
    return 0;
}
