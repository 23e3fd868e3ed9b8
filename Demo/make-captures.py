#!/usr/bin/env python3
"""Writes the demo's capture files, replayed by `make run` on ports 1, 2 and 8:

  captures/esx-a.pcap   ESX host A behind port 1: an LLDPDU from its uplink vmnic0, its
                        service console, its VMkernel interface and two web VMs, each
                        announcing its address by ARP
  captures/esx-b.pcap   ESX host B behind port 2: its LLDPDU, the same kinds of interfaces, a KVM
                        guest, and later web VM 00:50:56:9c:00:c8 arriving from host A
                        by vMotion, announced with a RARP and then a gratuitous ARP
  captures/uplink.pcap  the trunk to the core on port 8: a router (VLAN 100, tagged) and
                        a backup server (native VLAN), stations that are not VMs

Timestamps start at a fixed base time and only increase, so the files are the same on
every run (regenerate and commit them when this script changes). Addresses come from
198.18.0.0/15, the benchmarking range. Standard library only.

    python3 Demo/make-captures.py
"""
import os
import struct

BASE_TIME = 1_735_725_600  # 2025-01-01 10:00:00 UTC
BROADCAST = "ff:ff:ff:ff:ff:ff"
ZERO_MAC = "00:00:00:00:00:00"

# ESX host A (port 1)
CONSOLE_A = ("00:50:56:4e:62:f5", "198.18.46.50")   # service console (00:50:56:40-6f)
VMKERNEL_A = ("00:50:56:72:ec:86", "198.18.46.51")  # VMkernel (00:50:56:70-7f)
WEB1 = ("00:50:56:9c:00:c8", "198.18.46.25")        # migrates to host B
WEB2 = ("00:50:56:9c:21:2f", "198.18.46.26")
# ESX host B (port 2)
CONSOLE_B = ("00:50:56:4a:11:22", "198.18.46.52")
VMKERNEL_B = ("00:50:56:7a:33:44", "198.18.46.53")
KVM_DB = ("52:54:00:12:34:56", "198.18.46.30")      # QEMU/KVM guest, VM group 20 by IP
APP = ("00:50:56:9c:77:01", "198.18.46.31")         # a VM in no group
# The hosts' physical uplinks, as LLDP names them (Intel NICs).
HOST_A = ("3c:fd:fe:a0:00:01", "esx-a", "vmnic0", CONSOLE_A[1])
HOST_B = ("3c:fd:fe:b0:00:01", "esx-b", "vmnic0", CONSOLE_B[1])
# Uplink (port 8)
ROUTER = ("00:1b:21:0a:0b:0c", "198.18.46.1")
BACKUP = ("00:14:22:01:02:03", "198.18.46.200")


def mac(text):
    return bytes(int(part, 16) for part in text.split(":"))


def ip(text):
    return bytes(int(part) for part in text.split("."))


def ethernet(destination, source, ethertype, payload, vlan=None):
    """An Ethernet frame padded to the 60-byte minimum (the FCS is not captured)."""
    header = mac(destination) + mac(source)
    if vlan is not None:
        header += struct.pack("!HH", 0x8100, vlan)
    frame = header + struct.pack("!H", ethertype) + payload
    return frame + bytes(max(0, 60 - len(frame)))


def arp(operation, sender_mac, sender_ip, target_mac, target_ip):
    return (struct.pack("!HHBBH", 1, 0x0800, 6, 4, operation)
            + mac(sender_mac) + ip(sender_ip) + mac(target_mac) + ip(target_ip))


def arp_request(station, target_ip, vlan=None):
    """`station` asks who has `target_ip`: announces its own address (ARP sender)."""
    station_mac, station_ip = station
    return ethernet(BROADCAST, station_mac, 0x0806,
                    arp(1, station_mac, station_ip, ZERO_MAC, target_ip), vlan)


def gratuitous_arp(station):
    """A request for the station's own address (sender IP = target IP)."""
    station_mac, station_ip = station
    return ethernet(BROADCAST, station_mac, 0x0806, arp(1, station_mac, station_ip, ZERO_MAC, station_ip))


def rarp_announcement(station):
    """What vMotion sends for a VM that just arrived: a broadcast RARP request
    (ethertype 0x8035, opcode 3) whose sender and target hardware address are the VM's."""
    station_mac = station[0]
    return ethernet(BROADCAST, station_mac, 0x8035,
                    arp(3, station_mac, "0.0.0.0", station_mac, "0.0.0.0"))


def tlv(kind, value):
    return struct.pack("!H", kind << 9 | len(value)) + value


def lldpdu(host):
    """What a hypervisor's LLDP agent sends on its uplink (IEEE 802.1AB): chassis ID (its
    MAC), port ID (interface name), TTL 120, system name and description, capabilities
    (bridge: its virtual switch), its management address, End."""
    host_mac, name, port, address = host
    body = (tlv(1, b"\x04" + mac(host_mac)) + tlv(2, b"\x05" + port.encode()) + tlv(3, struct.pack("!H", 120))
            + tlv(5, name.encode()) + tlv(6, b"VMware ESXi 8.0.2 build-22380479")
            + tlv(7, struct.pack("!HH", 0x0004, 0x0004))
            + tlv(8, bytes([5, 1]) + ip(address) + bytes([2]) + struct.pack("!I", 1) + bytes([0]))
            + tlv(0, b""))
    return ethernet("01:80:c2:00:00:0e", host_mac, 0x88CC, body)


def write_pcap(path, frames):
    """Classic pcap, microsecond timestamps, Ethernet link type; `frames` are
    (seconds after BASE_TIME, frame bytes), in time order."""
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        last = -1.0
        for offset, frame in frames:
            assert offset > last, "timestamps must increase"
            last = offset
            micros = round(offset * 1_000_000)
            out.write(struct.pack("<IIII", BASE_TIME + micros // 1_000_000, micros % 1_000_000,
                                  len(frame), len(frame)))
            out.write(frame)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    captures = os.path.join(here, "captures")
    os.makedirs(captures, exist_ok=True)
    gateway = ROUTER[1]

    # Host A boots its interfaces, each asking for the gateway; the web VMs keep talking.
    esx_a = [
        (0.010, lldpdu(HOST_A)),
        (0.100, arp_request(CONSOLE_A, gateway)),
        (0.200, arp_request(VMKERNEL_A, gateway)),
        (1.000, arp_request(WEB1, gateway)),
        (1.500, arp_request(WEB2, gateway)),
        (5.000, arp_request(WEB1, WEB2[1])),
    ]
    # Host B likewise; at t=30 s web VM 1 arrives from host A: RARP as vMotion sends it
    # (three, in case one is lost), then the guest's own gratuitous ARP.
    esx_b = [
        (0.020, lldpdu(HOST_B)),
        (0.150, arp_request(CONSOLE_B, gateway)),
        (0.250, arp_request(VMKERNEL_B, gateway)),
        (2.000, arp_request(KVM_DB, gateway)),
        (2.500, arp_request(APP, gateway)),
        (30.000, rarp_announcement(WEB1)),
        (30.010, rarp_announcement(WEB1)),
        (30.020, rarp_announcement(WEB1)),
        (30.500, gratuitous_arp(WEB1)),
    ]
    # The core: the router answers in VLAN 100 (tagged on the trunk), the backup server
    # speaks in the native VLAN.
    uplink = [
        (0.050, arp_request(ROUTER, "198.18.46.254", vlan=100)),
        (3.000, arp_request(BACKUP, gateway)),
    ]
    for name, frames in (("esx-a.pcap", esx_a), ("esx-b.pcap", esx_b), ("uplink.pcap", uplink)):
        write_pcap(os.path.join(captures, name), frames)
        print(f"{os.path.join('Demo', 'captures', name)}: {len(frames)} frames")


if __name__ == "__main__":
    main()
