#!/usr/bin/python3
"""Runs a command with the kernel refusing bpf(BPF_LINK_CREATE) and
bpf(BPF_RAW_TRACEPOINT_OPEN) with EPERM, as a container's seccomp profile may:
BPF programs still load and XDP still attaches (through netlink), but no
program can be attached to a tracepoint. The XDP fast path needs two such
programs (they count frames a device refused), so the kernel refuses the fast
path while AF_XDP itself works.

usage: deny-bpf-links.py COMMAND [ARGUMENT ...]
"""
import errno
import os
import sys

import seccomp

BPF_RAW_TRACEPOINT_OPEN = 17  # enum bpf_cmd, linux/bpf.h
BPF_LINK_CREATE = 28

if len(sys.argv) < 2:
    sys.exit(__doc__)
rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
for command in (BPF_RAW_TRACEPOINT_OPEN, BPF_LINK_CREATE):
    rules.add_rule(seccomp.ERRNO(errno.EPERM), "bpf", seccomp.Arg(0, seccomp.EQ, command))
rules.load()
os.execvp(sys.argv[1], sys.argv[1:])
