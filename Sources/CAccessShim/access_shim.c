#define _GNU_SOURCE
#include "access_shim.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define VMR_MAX_FDS 8

int vmr_send_with_fds(int sock, const void *data, size_t len, const int *fds, int nfds) {
    if (nfds < 0 || nfds > VMR_MAX_FDS) { errno = EINVAL; return -1; }
    struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
    union { struct cmsghdr align; char buf[CMSG_SPACE(sizeof(int) * VMR_MAX_FDS)]; } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
    if (nfds > 0) {
        msg.msg_control = control.buf;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    }
    ssize_t n;
    do { n = sendmsg(sock, &msg, MSG_NOSIGNAL); } while (n < 0 && errno == EINTR);
    return n == (ssize_t)len ? 0 : -1;
}

ssize_t vmr_recv_with_fds(int sock, void *data, size_t cap, int *fds, int maxfds, int *nfds, int flags) {
    struct iovec iov = { .iov_base = data, .iov_len = cap };
    union { struct cmsghdr align; char buf[CMSG_SPACE(sizeof(int) * VMR_MAX_FDS)]; } control;
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    *nfds = 0;
    ssize_t n;
    do { n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | flags); } while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        int *received = (int *)CMSG_DATA(c);
        for (int i = 0; i < count; i++) {
            /* Descriptors beyond what the caller takes are closed, never leaked. */
            if (*nfds < maxfds) fds[(*nfds)++] = received[i];
            else close(received[i]);
        }
    }
    return n;
}

int vmr_peer_credentials(int sock, uid_t *uid, pid_t *pid) {
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    *uid = cred.uid;
    *pid = cred.pid;
    return 0;
}

int vmr_crypt_hash(const char *phrase, char *out, int outsize) {
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    /* NULL random bytes: libcrypt draws the salt from the kernel (getrandom). */
    if (!crypt_gensalt_rn("$y$", 0, NULL, 0, setting, sizeof setting)) return -1;
    struct crypt_data *data = calloc(1, sizeof *data);
    if (!data) return -1;
    char *hash = crypt_rn(phrase, setting, data, sizeof *data);
    int ok = hash && hash[0] != '*' && (int)strlen(hash) < outsize;
    if (ok) strcpy(out, hash);
    explicit_bzero(data, sizeof *data);
    free(data);
    return ok ? 0 : -1;
}

int vmr_crypt_verify(const char *phrase, const char *hash) {
    struct crypt_data *data = calloc(1, sizeof *data);
    if (!data) return 0;
    char *computed = crypt_rn(phrase, hash, data, sizeof *data);
    int same = 0;
    if (computed && computed[0] != '*') {
        size_t a = strlen(computed), b = strlen(hash);
        /* Compared without an early exit, so timing says nothing about the secret. */
        unsigned char diff = (unsigned char)(a != b);
        for (size_t i = 0; i < a && i < b; i++) diff |= (unsigned char)(computed[i] ^ hash[i]);
        same = diff == 0;
    }
    explicit_bzero(data, sizeof *data);
    free(data);
    return same;
}

int vmr_crypt_valid(const char *hash) {
    return crypt_checksalt(hash) == CRYPT_SALT_OK;
}

static int signal_pipe_write = -1;

static void note_signal(int signo) {
    int saved = errno;
    unsigned char b = (unsigned char)signo;
    (void)!write(signal_pipe_write, &b, 1); /* a full pipe already says "it happened" */
    errno = saved;
}

int vmr_signal_pipe(int signo) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
    signal_pipe_write = ends[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = note_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(signo, &sa, NULL) != 0) return -1;
    return ends[0];
}

void vmr_name_thread(const char *name) { pthread_setname_np(pthread_self(), name); }
