# The two commands a newcomer needs: `make run` and `make test`. Both install the Debian
# packages they need when missing (as root, or through sudo). linux-libc-dev and libbpf-dev hold
# the headers the XDP fast path (BPF/) is compiled against, with the Swift toolchain's clang.

DEBIAN_PACKAGES := libedit-dev libpcap-dev libsqlite3-dev libcrypt-dev tmux iproute2 ethtool iputils-ping procps tshark tcpdump lldpd lldpad \
                   openssh-server openssh-client socat passwd \
                   libvirt-daemon libvirt-clients libvirt-dev libxml2-dev nftables \
                   libpq-dev postgresql libxdp-dev libbpf-dev linux-libc-dev \
                   python3-jsonschema python3-seccomp snmpd snmp libsnmp-dev rsyslog
SWIFT_BUILD_FLAGS ?=

.PHONY: run test deps build bench lab-bench manuals

# `make run` boots the demo: Demo/startup-config instead of flash, and Demo/captures replayed
# on ports 1, 2 and 8 so that `show virt vm` has VMs at once. `make run DEMO_ARGS=` boots from
# flash with nothing attached; ARGS adds flags to either (`make run ARGS='--ports 24'`).
DEMO_ARGS ?= --startup-config Demo/startup-config \
	--attach 1=file:Demo/captures/esx-a.pcap --attach 2=file:Demo/captures/esx-b.pcap \
	--attach 8=file:Demo/captures/uplink.pcap

run: deps
	swift build -c release --product vmready $(SWIFT_BUILD_FLAGS)
	.build/release/vmready $(DEMO_ARGS) $(ARGS)

test: deps
	swift build $(SWIFT_BUILD_FLAGS)
	swift test $(SWIFT_BUILD_FLAGS)

bench: deps
	swift run -c release vmready-bench

# VMready (pcap, AF_XDP, AF_XDP + XDP fast path) against Open vSwitch (AF_XDP, netdev) and a
# Linux bridge between network namespaces (root). Lab/bench.sh installs its own packages
# (LAB_PACKAGES: Open vSwitch, perf, ...) as `deps` does, so `make test` never pulls them in;
# ROUNDS, DURATION and SWITCHES pass through the environment.
lab-bench: deps
	swift build -c release --product vmready
	VMREADY_BIN=.build/release/vmready Lab/bench.sh

# Regenerates Manuals/command-reference.md from Grammar/.
manuals: deps
	VMREADY_UPDATE_MANUALS=1 swift test --filter ReferenceManualTests

deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
