// The XDP fast path's loader and map access (the program: BPF/fast_path.bpf.c).
#define _GNU_SOURCE
#include "vmready_fast_path.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>

#include "xsk_program.h"

struct vmready_fast_path {
    struct bpf_object *object;
    int program_fd;
    int xsks_fd, egress_fd, ifindex_ports_fd, ports_fd, settings_fd, stations_fd, counters_fd, egress_drops_fd;
    // The tracepoint programs that notice redirected frames a device refused.
    struct bpf_link *drop_links[2];
    // Per-CPU values come back one per possible CPU.
    int cpus;
    // Where the next sweep continues; valid while sweeping.
    struct vmready_fp_key sweep_key;
    bool sweeping;
    // The sweep's current key is to be deleted once the next one is read.
    bool sweep_stale;
};

static vmready_fast_path *fail(vmready_fast_path *fast_path, vmready_xsk_failure *failure, const char *step, int error) {
    vmready_fp_close(fast_path);
    failure->step = step;
    failure->error = error < 0 ? -error : error;
    return NULL;
}

static int map_fd(struct bpf_object *object, const char *name) {
    struct bpf_map *map = bpf_object__find_map_by_name(object, name);
    return map ? bpf_map__fd(map) : -ENOENT;
}

// The switch reports one failure itself; libbpf's own lines (a verifier log) would repeat it.
static int quiet(enum libbpf_print_level level, const char *format, va_list arguments) {
    (void)level; (void)format; (void)arguments;
    return 0;
}

vmready_fast_path *vmready_fp_open(const void *object, size_t size, uint32_t stations, vmready_xsk_failure *failure) {
    memset(failure, 0, sizeof *failure);
    libbpf_set_print(quiet);
    vmready_fast_path *fast_path = calloc(1, sizeof *fast_path);
    if (!fast_path) return fail(NULL, failure, "calloc", ENOMEM);
    fast_path->program_fd = -1;
    LIBBPF_OPTS(bpf_object_open_opts, options, .object_name = "vmready_fast_path");
    fast_path->object = bpf_object__open_mem(object, size, &options);
    if (!fast_path->object) return fail(fast_path, failure, "bpf_object__open_mem", errno);
    struct bpf_map *map = bpf_object__find_map_by_name(fast_path->object, "stations");
    if (!map) return fail(fast_path, failure, "stations map", ENOENT);
    int status = bpf_map__set_max_entries(map, stations > 0 ? stations : 1);
    if (status) return fail(fast_path, failure, "bpf_map__set_max_entries", status);
    status = bpf_object__load(fast_path->object);
    if (status) return fail(fast_path, failure, "bpf_object__load", status);
    struct bpf_program *program = bpf_object__find_program_by_name(fast_path->object, "vmready_fast_path");
    if (!program) return fail(fast_path, failure, "program", ENOENT);
    fast_path->program_fd = bpf_program__fd(program);
    fast_path->xsks_fd = map_fd(fast_path->object, "xsks");
    fast_path->egress_fd = map_fd(fast_path->object, "egress");
    fast_path->ifindex_ports_fd = map_fd(fast_path->object, "ifindex_ports");
    fast_path->ports_fd = map_fd(fast_path->object, "ports");
    fast_path->settings_fd = map_fd(fast_path->object, "settings");
    fast_path->stations_fd = map_fd(fast_path->object, "stations");
    fast_path->counters_fd = map_fd(fast_path->object, "counters");
    fast_path->egress_drops_fd = map_fd(fast_path->object, "egress_drops");
    int fds[] = { fast_path->xsks_fd, fast_path->egress_fd, fast_path->ifindex_ports_fd, fast_path->ports_fd,
                  fast_path->settings_fd, fast_path->stations_fd, fast_path->counters_fd, fast_path->egress_drops_fd };
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        if (fds[i] < 0) return fail(fast_path, failure, "maps", ENOENT);
    }
    fast_path->cpus = libbpf_num_possible_cpus();
    if (fast_path->cpus <= 0) return fail(fast_path, failure, "libbpf_num_possible_cpus", fast_path->cpus);
    // Without them a veth that cannot take redirected frames would lose them unnoticed.
    const char *watchers[] = { "vmready_devmap_xmit", "vmready_redirect_err" };
    for (int i = 0; i < 2; i++) {
        struct bpf_program *watcher = bpf_object__find_program_by_name(fast_path->object, watchers[i]);
        if (!watcher) return fail(fast_path, failure, "program", ENOENT);
        fast_path->drop_links[i] = bpf_program__attach(watcher);
        if (!fast_path->drop_links[i]) return fail(fast_path, failure, "bpf_program__attach", errno);
    }
    return fast_path;
}

void vmready_fp_close(vmready_fast_path *fast_path) {
    if (!fast_path) return;
    for (int i = 0; i < 2; i++) {
        if (fast_path->drop_links[i]) bpf_link__destroy(fast_path->drop_links[i]);
    }
    if (fast_path->object) bpf_object__close(fast_path->object);
    free(fast_path);
}

vmready_xsk_port *vmready_xsk_open_fast(const char *interface, vmready_xdp_mode mode, vmready_fast_path *fast_path,
                                       uint32_t port, vmready_xsk_failure *failure) {
    if (port == 0 || port > VMREADY_FP_MAX_PORTS) {
        memset(failure, 0, sizeof *failure);
        failure->step = "port";
        failure->error = EINVAL;
        return NULL;
    }
    struct vmready_xsk_program program = {
        .program_fd = fast_path->program_fd,
        .xskmap_fd = fast_path->xsks_fd,
        .key_base = port * VMREADY_FP_MAX_QUEUES,
    };
    vmready_xsk_port *xsk = vmready_xsk_open_program(interface, mode, &program, failure);
    if (!xsk) return NULL;
    int status = vmready_fp_register_port(fast_path, port, vmready_xsk_ifindex(xsk));
    if (status != 0) {
        int error = -status;
        vmready_xsk_close(xsk);
        memset(failure, 0, sizeof *failure);
        failure->step = "bpf_map_update_elem";
        failure->error = error;
        return NULL;
    }
    return xsk;
}

static int result(int status) { return status == 0 ? 0 : -errno; }
static struct vmready_fp_key station_key(uint64_t key);

int vmready_fp_register_port(vmready_fast_path *fast_path, uint32_t port, int ifindex) {
    if (port == 0 || port > VMREADY_FP_MAX_PORTS || ifindex <= 0) return -EINVAL;
    // Frames for the port leave through its interface; frames arriving there are its own.
    struct bpf_devmap_val egress = { .ifindex = (__u32)ifindex };
    __u32 index = (__u32)ifindex;
    int status = result(bpf_map_update_elem(fast_path->egress_fd, &port, &egress, 0));
    if (status == 0) status = result(bpf_map_update_elem(fast_path->ifindex_ports_fd, &index, &port, 0));
    return status;
}

bool vmready_fp_station(vmready_fast_path *fast_path, uint64_t key, uint32_t *port, uint32_t *generation) {
    struct vmready_fp_key map_key = station_key(key);
    struct vmready_fp_station value;
    if (bpf_map_lookup_elem(fast_path->stations_fd, &map_key, &value) != 0) return false;
    *port = value.port;
    *generation = value.generation;
    return true;
}

int vmready_fp_run(vmready_fast_path *fast_path, const void *frame, uint32_t length, int ingress_ifindex,
                   uint32_t *action) {
    // The frame is all data (no metadata before it): data 0, data_end its length.
    struct xdp_md context = { .data = 0, .data_end = length, .ingress_ifindex = (__u32)ingress_ifindex, .rx_queue_index = 0 };
    LIBBPF_OPTS(bpf_test_run_opts, options, .data_in = frame, .data_size_in = length,
                .ctx_in = &context, .ctx_size_in = sizeof context, .repeat = 1);
    int status = bpf_prog_test_run_opts(fast_path->program_fd, &options);
    if (status != 0) return -errno;
    *action = options.retval;
    return 0;
}

int vmready_fp_set_settings(vmready_fast_path *fast_path, const struct vmready_fp_settings *settings) {
    __u32 key = 0;
    return result(bpf_map_update_elem(fast_path->settings_fd, &key, settings, 0));
}

int vmready_fp_set_port(vmready_fast_path *fast_path, uint32_t port, const struct vmready_fp_port *value) {
    if (port > VMREADY_FP_MAX_PORTS) return -EINVAL;
    return result(bpf_map_update_elem(fast_path->ports_fd, &port, value, 0));
}

// The MAC table's key, vlan << 48 | mac (the MAC's first byte most significant).
static struct vmready_fp_key station_key(uint64_t key) {
    struct vmready_fp_key out;
    memset(&out, 0, sizeof out);
    for (int i = 0; i < 6; i++) out.mac[i] = (uint8_t)(key >> (8 * (5 - i)));
    out.vlan = (uint16_t)(key >> 48);
    return out;
}

int vmready_fp_set_station(vmready_fast_path *fast_path, uint64_t key, uint32_t port, uint32_t generation) {
    struct vmready_fp_key map_key = station_key(key);
    struct vmready_fp_station value = { .port = port, .generation = generation, .last_seen = 0 };
    // Keep the kernel's last hit across a rewrite (a resync, a static entry replaced).
    struct vmready_fp_station old;
    if (bpf_map_lookup_elem(fast_path->stations_fd, &map_key, &old) == 0) {
        if (old.port == port && old.generation == generation) return 0;
        value.last_seen = old.last_seen;
    }
    return result(bpf_map_update_elem(fast_path->stations_fd, &map_key, &value, 0));
}

int vmready_fp_delete_station(vmready_fast_path *fast_path, uint64_t key) {
    struct vmready_fp_key map_key = station_key(key);
    int status = bpf_map_delete_elem(fast_path->stations_fd, &map_key);
    return status == 0 || errno == ENOENT ? 0 : -errno;
}

uint64_t vmready_fp_station_last_seen(vmready_fast_path *fast_path, uint64_t key) {
    struct vmready_fp_key map_key = station_key(key);
    struct vmready_fp_station value;
    if (bpf_map_lookup_elem(fast_path->stations_fd, &map_key, &value) != 0) return 0;
    return value.last_seen;
}

bool vmready_fp_sweep(vmready_fast_path *fast_path, uint32_t generation, uint32_t limit) {
    struct vmready_fp_key next;
    for (uint32_t visited = 0; visited < limit; visited++) {
        const void *previous = fast_path->sweeping ? &fast_path->sweep_key : NULL;
        int status = bpf_map_get_next_key(fast_path->stations_fd, previous, &next);
        // A key is deleted only once its successor is known: get_next_key from a missing
        // key starts over from the beginning.
        if (fast_path->sweeping && fast_path->sweep_stale) bpf_map_delete_elem(fast_path->stations_fd, &fast_path->sweep_key);
        if (status != 0) {
            fast_path->sweeping = false;
            return true;
        }
        struct vmready_fp_station value;
        fast_path->sweep_stale = bpf_map_lookup_elem(fast_path->stations_fd, &next, &value) == 0
            && value.generation != generation;
        fast_path->sweep_key = next;
        fast_path->sweeping = true;
    }
    return false;
}

void vmready_fp_counters(vmready_fast_path *fast_path, uint32_t port, struct vmready_fp_counters *sum) {
    memset(sum, 0, sizeof *sum);
    if (port > VMREADY_FP_MAX_PORTS) return;
    // A buffer per call: the control side may read counters from any thread.
    struct vmready_fp_counters *per_cpu = calloc((size_t)fast_path->cpus, sizeof *per_cpu);
    if (!per_cpu) return;
    if (bpf_map_lookup_elem(fast_path->counters_fd, &port, per_cpu) == 0) {
        for (int cpu = 0; cpu < fast_path->cpus; cpu++) {
            sum->rx_packets += per_cpu[cpu].rx_packets;
            sum->rx_bytes += per_cpu[cpu].rx_bytes;
            sum->tx_packets += per_cpu[cpu].tx_packets;
            sum->tx_bytes += per_cpu[cpu].tx_bytes;
        }
    }
    free(per_cpu);
}

uint64_t vmready_fp_egress_drops(vmready_fast_path *fast_path, uint32_t port) {
    uint64_t drops = 0;
    if (port > VMREADY_FP_MAX_PORTS || bpf_map_lookup_elem(fast_path->egress_drops_fd, &port, &drops) != 0) return 0;
    return drops;
}

uint64_t vmready_fp_monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
}
