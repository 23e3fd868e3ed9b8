#ifndef VMREADY_FAST_PATH_MAPS_H
#define VMREADY_FAST_PATH_MAPS_H

// The layout the XDP fast-path program (BPF/fast_path.bpf.c) and the switch share.
// Included by both: only fixed-size types, no padding left to the compiler.

#include <linux/types.h>

enum {
    // Ports 1...64 (BridgeConfiguration.maximumPorts); index 0 unused.
    VMREADY_FP_MAX_PORTS = 64,
    // Rx queues per port with a socket (the AF_XDP port's MAX_QUEUES).
    VMREADY_FP_MAX_QUEUES = 64,
};

// Bits of vmready_fp_settings.ethertypes.
enum {
    VMREADY_FP_IPV4 = 1,
    VMREADY_FP_ARP = 2,
    VMREADY_FP_IPV6 = 4,
};

struct vmready_fp_key {
    __u8 mac[6];
    __u16 vlan;
};

struct vmready_fp_station {
    __u32 port;
    // The settings' generation when written: an entry of another generation is ignored.
    __u32 generation;
    // bpf_ktime_get_ns() of the last frame the kernel forwarded from the station.
    __u64 last_seen;
};

struct vmready_fp_port {
    // Enabled, access, no ACL, not a vNIC port: the kernel may forward from and to it.
    __u32 eligible;
    // Its access VLAN.
    __u32 vlan;
};

struct vmready_fp_settings {
    __u32 enabled;
    __u32 generation;
    __u32 ethertypes;
    __u32 reserved;
};

struct vmready_fp_counters {
    __u64 rx_packets;
    __u64 rx_bytes;
    __u64 tx_packets;
    __u64 tx_bytes;
};

#endif
