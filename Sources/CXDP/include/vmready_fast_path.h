#ifndef VMREADY_FAST_PATH_H
#define VMREADY_FAST_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fast_path_maps.h"
#include "vmready_xsk.h"

/// The XDP fast-path program (BPF/fast_path.bpf.c), loaded once and attached to every
/// fast-path port, and its maps, which the switch keeps in sync from the forwarding thread.
typedef struct vmready_fast_path vmready_fast_path;

/// Loads the program from its object in memory, the station map sized for `stations`
/// entries. NULL on failure, with `failure` filled in (step and errno).
vmready_fast_path *vmready_fp_open(const void *object, size_t size, uint32_t stations, vmready_xsk_failure *failure);

/// Unloads the program and its maps (the ports using it must be closed first).
void vmready_fp_close(vmready_fast_path *fast_path);

/// Opens `interface` as switch port `port` on AF_XDP with the fast-path program on its
/// hook instead of libxdp's default one (same contract as vmready_xsk_open otherwise).
vmready_xsk_port *vmready_xsk_open_fast(const char *interface, vmready_xdp_mode mode, vmready_fast_path *fast_path,
                                       uint32_t port, vmready_xsk_failure *failure);

/// Makes `ifindex` switch port `port` for the program: its frames are the port's, and the
/// port's frames leave through it. 0 or a negative errno. (vmready_xsk_open_fast does it.)
int vmready_fp_register_port(vmready_fast_path *fast_path, uint32_t port, int ifindex);

/// The station map's entry for `key` (vlan << 48 | mac), false when absent.
bool vmready_fp_station(vmready_fast_path *fast_path, uint64_t key, uint32_t *port, uint32_t *generation);

/// Runs the program once on `frame` as if received on `ingress_ifindex`, rx queue 0, without
/// sending anything (BPF_PROG_TEST_RUN): its XDP action in `action`, its counters counted.
/// 0 or a negative errno.
int vmready_fp_run(vmready_fast_path *fast_path, const void *frame, uint32_t length, int ingress_ifindex,
                   uint32_t *action);

/// Map writes; 0 or a negative errno. A failed write leaves the kernel on the slow path.
int vmready_fp_set_settings(vmready_fast_path *fast_path, const struct vmready_fp_settings *settings);
int vmready_fp_set_port(vmready_fast_path *fast_path, uint32_t port, const struct vmready_fp_port *value);
int vmready_fp_set_station(vmready_fast_path *fast_path, uint64_t key, uint32_t port, uint32_t generation);
int vmready_fp_delete_station(vmready_fast_path *fast_path, uint64_t key);

/// The station entry's last kernel hit (CLOCK_MONOTONIC ns), 0 when none or absent.
uint64_t vmready_fp_station_last_seen(vmready_fast_path *fast_path, uint64_t key);

/// Deletes up to `limit` entries whose generation is not `generation`, continuing from
/// where the previous call stopped. True when the whole map has been walked.
bool vmready_fp_sweep(vmready_fast_path *fast_path, uint32_t generation, uint32_t limit);

/// Port `port`'s kernel-forwarded counters, summed over the CPUs.
void vmready_fp_counters(vmready_fast_path *fast_path, uint32_t port, struct vmready_fp_counters *sum);

/// Frames redirected to port `port` that its device refused (a veth whose peer has neither
/// GRO nor an XDP program): the kernel forwards nothing more there.
uint64_t vmready_fp_egress_drops(vmready_fast_path *fast_path, uint32_t port);

/// CLOCK_MONOTONIC in ns: the kernel's bpf_ktime_get_ns().
uint64_t vmready_fp_monotonic_ns(void);

#endif
