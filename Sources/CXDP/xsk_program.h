#ifndef VMREADY_XSK_PROGRAM_H
#define VMREADY_XSK_PROGRAM_H

// Between the AF_XDP port and the fast path (not part of the module's interface): a port
// may carry the switch's own XDP program instead of libxdp's default one.

#include <stdint.h>

#include "vmready_xsk.h"

struct vmready_xsk_program {
    // The loaded program, attached to the interface before its sockets are created.
    int program_fd;
    // Its XSKMAP: each socket goes in at key_base + its rx queue.
    int xskmap_fd;
    uint32_t key_base;
};

vmready_xsk_port *vmready_xsk_open_program(const char *interface, vmready_xdp_mode mode,
                                          const struct vmready_xsk_program *program, vmready_xsk_failure *failure);

/// The interface the port is open on.
int vmready_xsk_ifindex(const vmready_xsk_port *port);

#endif
