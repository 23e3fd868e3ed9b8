#ifndef VMREADY_ACCESS_SHIM_H
#define VMREADY_ACCESS_SHIM_H

#include <sys/types.h>

/* Operator access needs what Swift cannot reach: the CMSG_* macros for passing descriptors
   (SCM_RIGHTS), struct ucred for SO_PEERCRED (behind _GNU_SOURCE), and libcrypt. */

/* Sends `len` bytes and `nfds` descriptors as one message. 0 on success, -1 (errno) else. */
int vmr_send_with_fds(int sock, const void *data, size_t len, const int *fds, int nfds);

/* Receives one message and up to `maxfds` descriptors (close-on-exec). Returns the byte
   count (0 at end of stream), -1 on error; `*nfds` is how many descriptors came. `flags`:
   more recvmsg flags (MSG_DONTWAIT). */
ssize_t vmr_recv_with_fds(int sock, void *data, size_t cap, int *fds, int maxfds, int *nfds, int flags);

/* The uid and pid of the process at the other end of a Unix socket. 0 or -1. */
int vmr_peer_credentials(int sock, uid_t *uid, pid_t *pid);

/* A new yescrypt hash of `phrase` (crypt(3) format, `$y$...`) in `out`. 0 or -1. */
int vmr_crypt_hash(const char *phrase, char *out, int outsize);

/* 1 when `phrase` hashes to `hash`, 0 otherwise (also for a malformed hash). */
int vmr_crypt_verify(const char *phrase, const char *hash);

/* 1 when libcrypt accepts `hash` as a setting of a method it supports and allows. */
int vmr_crypt_valid(const char *hash);

/* A descriptor that becomes readable (one byte per delivery) each time `signo` arrives:
   a signal handler cannot call into Swift, a pipe it writes to can be polled. -1 on error. */
int vmr_signal_pipe(int signo);

/* Names the calling thread (15 characters at most), as /proc and top -H show it. */
void vmr_name_thread(const char *name);

#endif
