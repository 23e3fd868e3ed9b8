// AF_XDP port: sockets, UMEM and the batch loops over <xdp/xsk.h>'s inline ring accessors.
#define _GNU_SOURCE
#include "vmready_xsk.h"
#include "xsk_program.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

enum {
    // 4096, not 2048: a 2048-byte frame silently loses frames over ~1792 bytes
    // (the kernel keeps XDP_PACKET_HEADROOM in front of each).
    FRAME_SIZE = 4096,
    // Per socket: frames lent to the kernel for rx. Every ring is as large as the
    // frames that can be in it, so a reserve for a frame we own never fails. 2048, not
    // 512: on veth the switch's transmit wakeup runs the receiving host's stack in the
    // switch's thread (tens of microseconds per batch), and meanwhile a TCP sender's
    // burst fills the rx ring; 512 lost about 2 % of a TCP stream's frames to that
    // (the interface's rx_queue_0_drops) and as many retransmissions.
    RX_FRAMES = 2048,
    // On a device with more rx queues than this, RX_FRAMES_SPREAD per socket: its traffic
    // is spread over the queues, and the UMEM stays bounded (64 queues of 512 frames of
    // 4 KiB are 128 MiB; of 2048, 512 MiB).
    RX_FULL_QUEUES = 4,
    RX_FRAMES_SPREAD = 512,
    // Transmit frames, on queue 0's socket only (any socket of the device can send).
    TX_FRAMES = 512,
    MAX_QUEUES = 64,
    // The copy-mode transmit path sends at most this many frames per wakeup by default.
    KERNEL_TX_BATCH = 32,
    // Asked for instead where the kernel lets a socket raise it (XDP_MAX_TX_SKB_BUDGET,
    // Linux 6.17): a forwarding batch's frames to one port go in one wakeup, not two
    // (37 % fewer sendto calls when forwarding 64-byte frames at saturation on veth).
    TX_WAKEUP_BUDGET = 64,
    // Ethernet header plus one 802.1Q tag on top of the MTU.
    FRAME_OVERHEAD = 18,
};

// <linux/if_xdp.h> of Linux 6.17; Debian 12's headers predate it.
#define VMREADY_XDP_MAX_TX_SKB_BUDGET 9

struct queue {
    struct xsk_umem *umem;
    struct xsk_socket *socket;
    struct xsk_ring_prod fill;
    struct xsk_ring_cons completion;
    struct xsk_ring_cons rx;
    struct xsk_ring_prod tx;
    uint8_t *area;
    size_t area_size;
    // Frames handed out by the last peek, still in the rx ring until released.
    uint32_t peeked;
    uint32_t peek_index;
};

struct vmready_xsk_port {
    struct queue *queues;
    uint32_t queue_count;
    uint32_t next_queue;
    int ifindex;
    uint32_t xdp_flags;
    vmready_xdp_mode mode;
    // True once a socket is bound: the program on the interface is then ours to remove.
    bool owns_program;
    // The switch's own program instead of libxdp's default one (NULL: the default); the
    // caller's, only while the port opens.
    const struct vmready_xsk_program *program;
    // Free transmit frames (UMEM offsets in queue 0's area).
    uint64_t tx_free[TX_FRAMES];
    uint32_t tx_free_count;
    // Queued since the last wakeup.
    uint32_t tx_unsent;
    // The open ports, for the exit handler.
    vmready_xsk_port *next_open;
};

// The switch exits without tearing its dataplane down (exit() runs no Swift deinit), and
// a program left on the interface would take its frames from the kernel and from the
// next switch: the exit handler removes the programs of the ports still open.
static pthread_mutex_t open_ports_lock = PTHREAD_MUTEX_INITIALIZER;
static vmready_xsk_port *open_ports;

static void detach_open_ports(void) {
    pthread_mutex_lock(&open_ports_lock);
    for (vmready_xsk_port *port = open_ports; port; port = port->next_open) {
        if (port->owns_program) bpf_xdp_detach(port->ifindex, port->xdp_flags, NULL);
    }
    open_ports = NULL;
    pthread_mutex_unlock(&open_ports_lock);
}

static void register_open_port(vmready_xsk_port *port) {
    static bool handler_installed = false;
    pthread_mutex_lock(&open_ports_lock);
    if (!handler_installed) handler_installed = atexit(detach_open_ports) == 0;
    port->next_open = open_ports;
    open_ports = port;
    pthread_mutex_unlock(&open_ports_lock);
}

static void unregister_open_port(vmready_xsk_port *port) {
    pthread_mutex_lock(&open_ports_lock);
    for (vmready_xsk_port **link = &open_ports; *link; link = &(*link)->next_open) {
        if (*link == port) {
            *link = port->next_open;
            break;
        }
    }
    pthread_mutex_unlock(&open_ports_lock);
}

uint32_t vmready_xsk_max_frame(void) { return FRAME_SIZE - XDP_PACKET_HEADROOM; }

// The port reports one failure itself; the libraries' own lines would repeat it on stderr.
static int quiet_bpf(enum libbpf_print_level level, const char *format, va_list arguments) {
    (void)level; (void)format; (void)arguments;
    return 0;
}
static int quiet_xdp(enum libxdp_print_level level, const char *format, va_list arguments) {
    (void)level; (void)format; (void)arguments;
    return 0;
}

static vmready_xsk_port *fail(vmready_xsk_failure *failure, const char *step, int error) {
    failure->step = step;
    failure->error = error < 0 ? -error : error;
    return NULL;
}

static int interface_mtu(const char *interface) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    struct ifreq request;
    memset(&request, 0, sizeof request);
    strncpy(request.ifr_name, interface, IFNAMSIZ - 1);
    int status = ioctl(fd, SIOCGIFMTU, &request);
    int error = errno;
    close(fd);
    return status < 0 ? -error : request.ifr_mtu;
}

// The device's real rx queues, as sysfs lists them (rx-0, rx-1, ...): a frame arriving
// on a queue without a socket goes to the kernel stack, not to the switch.
static uint32_t rx_queue_count(const char *interface) {
    char path[64 + IFNAMSIZ];
    snprintf(path, sizeof path, "/sys/class/net/%s/queues", interface);
    DIR *directory = opendir(path);
    if (!directory) return 1;
    uint32_t count = 0;
    for (struct dirent *entry; (entry = readdir(directory)) != NULL;) {
        if (strncmp(entry->d_name, "rx-", 3) == 0) count++;
    }
    closedir(directory);
    if (count == 0) return 1;
    return count > MAX_QUEUES ? MAX_QUEUES : count;
}

// libxdp reports a program it may not load as EBUSY; the capabilities say why plainly.
// AF_XDP needs CAP_NET_ADMIN and CAP_NET_RAW, and CAP_BPF or CAP_SYS_ADMIN for the program.
static bool has_capabilities(void) {
    FILE *status = fopen("/proc/self/status", "re");
    if (!status) return true;
    char line[256];
    unsigned long long effective = ~0ULL;
    while (fgets(line, sizeof line, status)) {
        if (sscanf(line, "CapEff: %llx", &effective) == 1) break;
    }
    fclose(status);
    bool net = (effective >> 12 & 1) && (effective >> 13 & 1);
    bool program = (effective >> 39 & 1) || (effective >> 21 & 1);
    return net && program;
}

// The UMEM is pinned memory: make room under RLIMIT_MEMLOCK where allowed.
static void raise_memlock(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_MEMLOCK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return;
    struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
    if (setrlimit(RLIMIT_MEMLOCK, &unlimited) != 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_MEMLOCK, &limit);
    }
}

void vmready_xsk_close(vmready_xsk_port *port) {
    if (!port) return;
    unregister_open_port(port);
    for (uint32_t q = 0; q < port->queue_count; q++) {
        struct queue *queue = &port->queues[q];
        if (queue->socket) xsk_socket__delete(queue->socket);
        if (queue->umem) xsk_umem__delete(queue->umem);
        if (queue->area) munmap(queue->area, queue->area_size);
    }
    // Without bpffs libxdp attaches its program alone, not through its dispatcher; the
    // switch owns the hook then and must leave the interface as it found it.
    if (port->owns_program) bpf_xdp_detach(port->ifindex, port->xdp_flags, NULL);
    free(port->queues);
    free(port);
}

static int open_queue(vmready_xsk_port *port, const char *interface, uint32_t index, uint32_t rx_frames) {
    struct queue *queue = &port->queues[index];
    uint32_t tx_frames = index == 0 ? TX_FRAMES : 0;
    queue->area_size = (size_t)(rx_frames + tx_frames) * FRAME_SIZE;
    void *area = mmap(NULL, queue->area_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) {
        queue->area = NULL;
        return -errno;
    }
    queue->area = area;
    struct xsk_umem_config umem_config = {
        .fill_size = rx_frames,
        .comp_size = TX_FRAMES,
        .frame_size = FRAME_SIZE,
        .frame_headroom = 0,
        .flags = 0,
    };
    int status = xsk_umem__create(&queue->umem, area, queue->area_size, &queue->fill, &queue->completion, &umem_config);
    if (status) {
        queue->umem = NULL;
        return status;
    }
    uint32_t fill_index = 0;
    if (xsk_ring_prod__reserve(&queue->fill, rx_frames, &fill_index) != rx_frames) return -ENOSPC;
    for (uint32_t frame = 0; frame < rx_frames; frame++) {
        *xsk_ring_prod__fill_addr(&queue->fill, fill_index + frame) = (uint64_t)frame * FRAME_SIZE;
    }
    xsk_ring_prod__submit(&queue->fill, rx_frames);
    for (uint32_t frame = 0; frame < tx_frames; frame++) {
        port->tx_free[port->tx_free_count++] = (uint64_t)(rx_frames + frame) * FRAME_SIZE;
    }
    struct xsk_socket_config socket_config = {
        .rx_size = rx_frames,
        .tx_size = TX_FRAMES,
        // With the switch's own program on the hook libxdp must not load its default one.
        .libxdp_flags = port->program ? XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD : 0,
        .xdp_flags = port->xdp_flags,
        .bind_flags = 0,
    };
    status = xsk_socket__create(&queue->socket, interface, index, queue->umem, &queue->rx,
                                index == 0 ? &queue->tx : NULL, &socket_config);
    if (status) {
        queue->socket = NULL;
        return status;
    }
    port->owns_program = true;
    if (index == 0) {
        // Older kernels refuse the option (ENOPROTOOPT) and keep KERNEL_TX_BATCH.
        uint32_t budget = TX_WAKEUP_BUDGET;
        (void)setsockopt(xsk_socket__fd(queue->socket), SOL_XDP, VMREADY_XDP_MAX_TX_SKB_BUDGET, &budget, sizeof budget);
    }
    if (port->program) {
        // What libxdp does for its own program: the socket at its queue's key.
        uint32_t key = port->program->key_base + index;
        int fd = xsk_socket__fd(queue->socket);
        if (bpf_map_update_elem(port->program->xskmap_fd, &key, &fd, 0) != 0) return -errno;
    }
    return 0;
}

static vmready_xsk_port *open_in_mode(const char *interface, int ifindex, vmready_xdp_mode mode,
                                      const struct vmready_xsk_program *program, vmready_xsk_failure *failure) {
    vmready_xsk_port *port = calloc(1, sizeof *port);
    if (!port) return fail(failure, "calloc", ENOMEM);
    port->ifindex = ifindex;
    port->mode = mode;
    port->program = program;
    port->xdp_flags = mode == VMREADY_XDP_NATIVE ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
    if (program) {
        // Attached before the sockets exist: until a socket is in the map the program
        // passes the queue's frames to the kernel stack, as libxdp's default one does.
        int status = bpf_xdp_attach(ifindex, program->program_fd, port->xdp_flags | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
        if (status) {
            free(port);
            return fail(failure, "bpf_xdp_attach", status);
        }
        port->owns_program = true;
    }
    uint32_t count = rx_queue_count(interface);
    port->queues = calloc(count, sizeof *port->queues);
    if (!port->queues) {
        vmready_xsk_close(port);
        return fail(failure, "calloc", ENOMEM);
    }
    uint32_t rx_frames = count <= RX_FULL_QUEUES ? RX_FRAMES : RX_FRAMES_SPREAD;
    for (uint32_t index = 0; index < count; index++) {
        port->queue_count = index + 1;
        int status = open_queue(port, interface, index, rx_frames);
        if (status) {
            const char *step = port->queues[index].umem == NULL ? "xsk_umem__create" : "xsk_socket__create";
            vmready_xsk_close(port);
            return fail(failure, step, status);
        }
    }
    port->program = NULL;
    return port;
}

vmready_xsk_port *vmready_xsk_open(const char *interface, vmready_xdp_mode mode, vmready_xsk_failure *failure) {
    return vmready_xsk_open_program(interface, mode, NULL, failure);
}

vmready_xsk_port *vmready_xsk_open_program(const char *interface, vmready_xdp_mode mode,
                                          const struct vmready_xsk_program *program, vmready_xsk_failure *failure) {
    memset(failure, 0, sizeof *failure);
    libbpf_set_print(quiet_bpf);
    libxdp_set_print(quiet_xdp);
    int ifindex = (int)if_nametoindex(interface);
    if (ifindex == 0) return fail(failure, "if_nametoindex", errno);
    int mtu = interface_mtu(interface);
    if (mtu < 0) return fail(failure, "SIOCGIFMTU", mtu);
    // A larger frame would not fit a UMEM frame and be dropped by the kernel unseen.
    if ((uint32_t)mtu + FRAME_OVERHEAD > vmready_xsk_max_frame()) {
        failure->mtu = mtu;
        return fail(failure, "mtu", ERANGE);
    }
    if (!has_capabilities()) return fail(failure, "capabilities", EPERM);
    raise_memlock();
    vmready_xsk_port *port = NULL;
    if (mode != VMREADY_XDP_AUTOMATIC) {
        port = open_in_mode(interface, ifindex, mode, program, failure);
    } else {
        port = open_in_mode(interface, ifindex, VMREADY_XDP_NATIVE, program, failure);
        if (!port) port = open_in_mode(interface, ifindex, VMREADY_XDP_GENERIC, program, failure);
    }
    if (port) register_open_port(port);
    return port;
}

vmready_xdp_mode vmready_xsk_mode(const vmready_xsk_port *port) { return port->mode; }

uint32_t vmready_xsk_queue_count(const vmready_xsk_port *port) { return port->queue_count; }

int vmready_xsk_ifindex(const vmready_xsk_port *port) { return port->ifindex; }

int vmready_xsk_socket_descriptor(const vmready_xsk_port *port, uint32_t queue) {
    return queue < port->queue_count ? xsk_socket__fd(port->queues[queue].socket) : -1;
}

uint32_t vmready_xsk_rx_peek(vmready_xsk_port *port, uint32_t limit, const uint8_t **frames, uint32_t *lengths) {
    uint32_t taken = 0;
    uint32_t count = port->queue_count;
    // Starting at a different queue each batch, so one busy queue cannot starve another.
    for (uint32_t step = 0; step < count && taken < limit; step++) {
        struct queue *queue = &port->queues[(port->next_queue + step) % count];
        uint32_t index = 0;
        uint32_t received = xsk_ring_cons__peek(&queue->rx, limit - taken, &index);
        queue->peeked = received;
        queue->peek_index = index;
        for (uint32_t i = 0; i < received; i++) {
            const struct xdp_desc *descriptor = xsk_ring_cons__rx_desc(&queue->rx, index + i);
            frames[taken] = xsk_umem__get_data(queue->area, descriptor->addr);
            lengths[taken] = descriptor->len;
            taken++;
        }
    }
    port->next_queue = (port->next_queue + 1) % count;
    return taken;
}

void vmready_xsk_rx_release(vmready_xsk_port *port) {
    for (uint32_t q = 0; q < port->queue_count; q++) {
        struct queue *queue = &port->queues[q];
        uint32_t received = queue->peeked;
        if (received == 0) continue;
        uint32_t fill_index = 0;
        // Always room: the fill ring holds every rx frame of the socket.
        xsk_ring_prod__reserve(&queue->fill, received, &fill_index);
        for (uint32_t i = 0; i < received; i++) {
            uint64_t address = xsk_ring_cons__rx_desc(&queue->rx, queue->peek_index + i)->addr;
            // The descriptor points past the headroom; the fill ring takes the frame's start.
            *xsk_ring_prod__fill_addr(&queue->fill, fill_index + i) = address & ~(uint64_t)(FRAME_SIZE - 1);
        }
        xsk_ring_prod__submit(&queue->fill, received);
        xsk_ring_cons__release(&queue->rx, received);
        queue->peeked = 0;
    }
}

static void reclaim(vmready_xsk_port *port) {
    struct queue *queue = &port->queues[0];
    uint32_t index = 0;
    uint32_t done = xsk_ring_cons__peek(&queue->completion, TX_FRAMES, &index);
    for (uint32_t i = 0; i < done; i++) {
        port->tx_free[port->tx_free_count++] = *xsk_ring_cons__comp_addr(&queue->completion, index + i);
    }
    if (done) xsk_ring_cons__release(&queue->completion, done);
}

// In copy mode the kernel sends only on sendto, at most KERNEL_TX_BATCH frames each
// time (EAGAIN: more remain); EBUSY and ENOBUFS are a full device queue, retried a
// bounded number of times so the forwarding thread never spins here.
static void wake_kernel(vmready_xsk_port *port) {
    if (port->tx_unsent == 0) return;
    int fd = xsk_socket__fd(port->queues[0].socket);
    uint32_t attempts = port->tx_unsent / KERNEL_TX_BATCH + 4;
    for (uint32_t attempt = 0; attempt < attempts; attempt++) {
        if (sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0) break;
        if (errno != EAGAIN && errno != EBUSY && errno != ENOBUFS && errno != EINTR) break;
    }
    port->tx_unsent = 0;
}

bool vmready_xsk_tx(vmready_xsk_port *port, const void *frame, uint32_t length) {
    if (length == 0 || length > vmready_xsk_max_frame()) return false;
    struct queue *queue = &port->queues[0];
    if (port->tx_free_count == 0) reclaim(port);
    if (port->tx_free_count == 0) {
        wake_kernel(port);
        reclaim(port);
        if (port->tx_free_count == 0) return false;
    }
    uint32_t index = 0;
    // Always room: the ring holds every transmit frame and this one is free.
    if (xsk_ring_prod__reserve(&queue->tx, 1, &index) != 1) return false;
    uint64_t address = port->tx_free[--port->tx_free_count];
    memcpy(xsk_umem__get_data(queue->area, address), frame, length);
    struct xdp_desc *descriptor = xsk_ring_prod__tx_desc(&queue->tx, index);
    descriptor->addr = address;
    descriptor->len = length;
    descriptor->options = 0;
    xsk_ring_prod__submit(&queue->tx, 1);
    port->tx_unsent++;
    return true;
}

void vmready_xsk_tx_flush(vmready_xsk_port *port) {
    wake_kernel(port);
    reclaim(port);
}
