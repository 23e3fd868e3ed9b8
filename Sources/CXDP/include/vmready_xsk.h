#ifndef VMREADY_XSK_H
#define VMREADY_XSK_H

#include <stdbool.h>
#include <stdint.h>

/// One switch port on AF_XDP: a socket on every rx queue of the interface, each with
/// its own UMEM (frames the port allocates at open and frees at close), the default
/// libxdp program redirecting the interface's frames to them. The ring accessors of
/// <xdp/xsk.h> are static inline, so the per-batch loops live here and Swift calls
/// them once per batch (rx) or once per frame plus once per batch (tx).
typedef struct vmready_xsk_port vmready_xsk_port;

/// Which XDP hook the program is attached to.
typedef enum {
    /// Native where the driver allows it, generic otherwise (open only).
    VMREADY_XDP_AUTOMATIC = 0,
    /// In the driver (veth, most NICs).
    VMREADY_XDP_NATIVE = 1,
    /// In the generic network stack (any interface, after the skb is built).
    VMREADY_XDP_GENERIC = 2,
} vmready_xdp_mode;

/// Why an open failed: the step and the errno it gave (positive), for one message.
typedef struct {
    const char *step;
    int error;
    /// The interface's MTU when the step is "mtu" (above what a UMEM frame holds).
    int mtu;
} vmready_xsk_failure;

/// The largest frame a UMEM frame holds (its size less the kernel's XDP headroom).
uint32_t vmready_xsk_max_frame(void);

/// Opens the port on `interface` in `mode`. NULL on failure, with `failure` filled in;
/// whatever was set up (program, sockets, UMEM) is undone then.
vmready_xsk_port *vmready_xsk_open(const char *interface, vmready_xdp_mode mode, vmready_xsk_failure *failure);

/// Closes the sockets, frees the UMEM and removes the XDP program from the interface.
void vmready_xsk_close(vmready_xsk_port *port);

/// The mode the program was attached in (native or generic).
vmready_xdp_mode vmready_xsk_mode(const vmready_xsk_port *port);

/// How many rx queues (and sockets) the port has.
uint32_t vmready_xsk_queue_count(const vmready_xsk_port *port);

/// The socket of rx queue `queue`, readable while it has frames (-1 past the last queue).
/// For poll(2) only, not epoll: a socket with a waiter on its wait queue takes the queue's
/// lock for every frame it sends (sock_wfree wakes writers) and on every receive flush, and
/// an epoll registration stays a waiter while the thread is busy forwarding; poll(2) is
/// one only while the thread sleeps.
int vmready_xsk_socket_descriptor(const vmready_xsk_port *port, uint32_t queue);

/// Points `frames`/`lengths` at up to `limit` received frames, taken from the queues in
/// turn; they stay valid until `vmready_xsk_rx_release`, which must follow before the
/// next peek. Returns how many.
uint32_t vmready_xsk_rx_peek(vmready_xsk_port *port, uint32_t limit, const uint8_t **frames, uint32_t *lengths);

/// Gives the peeked frames back to the kernel (onto the fill rings).
void vmready_xsk_rx_release(vmready_xsk_port *port);

/// Copies a frame into a free UMEM frame and queues it on the tx ring, without waking the
/// kernel. False when it is longer than a frame or no frame or ring slot is free even
/// after reclaiming completions and one wakeup.
bool vmready_xsk_tx(vmready_xsk_port *port, const void *frame, uint32_t length);

/// Wakes the kernel once for everything queued since the last flush (one sendto per
/// kernel batch in copy mode: 64 frames where the kernel takes XDP_MAX_TX_SKB_BUDGET, else
/// 32), and reclaims the frames it has sent.
void vmready_xsk_tx_flush(vmready_xsk_port *port);

#endif
