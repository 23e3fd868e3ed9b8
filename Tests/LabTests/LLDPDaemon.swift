#if os(Linux)
import Foundation
import Glibc

/// lldpd (Debian's 1.0.16) on a lab host: the hypervisor's side of LLDP, as
/// /work/shared/spec/interop.md runs it — in the foreground (`-d`), only on the host's
/// veth end (`-I`), with its own control socket (`-u`) and configuration (`-O`) in the
/// lab's scratch directory, so that several run at once and none touches the system's.
///
/// lldpd is two processes: the privileged monitor (the one started here) and the worker
/// it forks, which sends and receives. The worker sends a shutdown LLDPDU (TTL 0) when
/// told to stop and also when the monitor dies, so a crash is the worker killed.
final class LLDPDaemon {
    let host: LabHost
    /// lldpctl's Unix socket.
    let socket: String
    private let errorPath: String
    private var monitor: pid_t?

    /// Starts lldpd in `host`'s namespace advertising `managementAddress`, after running
    /// the lldpcli commands `configuration` (hostname, description, timers).
    init(host: LabHost, scratch: String, managementAddress: String, configuration: [String]) throws {
        self.host = host
        let base = scratch + "/lldpd-" + host.hostSide
        socket = base + ".sock"
        errorPath = base + ".err"
        let config = base + ".conf"
        try (configuration.joined(separator: "\n") + "\n").write(toFile: config, atomically: true, encoding: .utf8)
        _ = try HostProcesses.executable("lldpd")
        monitor = try HostProcesses.spawn(host.command(["lldpd", "-d", "-u", socket, "-I", host.hostSide,
                                                        "-m", managementAddress, "-O", config]),
                                          stdoutPath: base + ".out", stderrPath: errorPath)
    }

    deinit { kill() }

    /// What lldpd logged (it logs to stderr in the foreground), for failure messages.
    var log: String {
        let err = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return "--- lldpd in \(host.namespace) ---\n\(err)"
    }

    var isRunning: Bool { monitor != nil }

    /// The neighbours lldpd has heard on the host's veth end (`lldpcli show neighbors
    /// details -f json`: the summary leaves out the 802.1 VLAN TLVs), polled until `accept`
    /// takes them or `timeout` seconds pass; the last seen.
    func neighbors(timeout: Double, until accept: ([LLDPDNeighbor]) -> Bool) throws -> [LLDPDNeighbor] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let result = try HostProcesses.run(["lldpcli", "-u", socket, "show", "neighbors", "details", "-f", "json"])
            if result.succeeded {
                let seen = try LLDPDNeighbor.parse(result.stdout)
                if accept(seen) || Date() >= deadline { return seen }
            } else if Date() >= deadline {
                // Never "no neighbours" for a daemon that does not answer.
                throw LabFailure(description: "lldpcli cannot reach lldpd in \(host.namespace): \(result.summary)\n\(log)")
            }
            // lldpd may still be starting (no socket yet), or not have heard the switch yet.
            usleep(250_000)
        }
    }

    /// Stops lldpd as `systemctl stop` does (SIGTERM): the worker sends its shutdown LLDPDU.
    /// Throws when it does not exit within `timeout` seconds (it is killed then).
    func stop(timeout: Double = 10) throws {
        guard let pid = monitor else { return }
        monitor = nil
        _ = Glibc.kill(pid, SIGTERM)
        if HostProcesses.wait(for: pid, timeout: timeout) == nil {
            killTree(pid)
            throw LabFailure(description: "lldpd in \(host.namespace) did not stop on SIGTERM within \(Int(timeout)) s\n\(log)")
        }
    }

    /// A crash: the worker dies at once (SIGKILL), so no shutdown LLDPDU goes out; the
    /// monitor, seeing it gone, exits too (it is killed if it lingers).
    func crash() {
        guard let pid = monitor else { return }
        monitor = nil
        for child in Self.children(of: pid) { _ = Glibc.kill(child, SIGKILL) }
        if HostProcesses.wait(for: pid, timeout: 5) == nil { killTree(pid) }
    }

    /// The cleanup path: kills whatever still runs; never throws.
    func kill() {
        guard let pid = monitor else { return }
        monitor = nil
        killTree(pid)
    }

    /// The worker first (killing the monitor first would make the worker send its shutdown
    /// LLDPDU), then the monitor, which is reaped.
    private func killTree(_ pid: pid_t) {
        for child in Self.children(of: pid) { _ = Glibc.kill(child, SIGKILL) }
        HostProcesses.kill(pid)
    }

    private static func children(of pid: pid_t) -> [pid_t] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

/// One neighbour as `lldpcli show neighbors -f json` shows it (lldpd 1.0.16).
struct LLDPDNeighbor: Equatable {
    /// The local interface it was heard on.
    var interface = ""
    var chassisIDType = ""
    var chassisID = ""
    var systemName = ""
    var systemDescription = ""
    var managementIPs: [String] = []
    /// Capability name (`Bridge`, `Router`, ...) to enabled.
    var capabilities: [String: Bool] = [:]
    var portIDType = ""
    var portID = ""
    var portDescription = ""
    var timeToLive = ""
    /// The 802.1 VLAN TLVs: VLAN ID, whether it is the PVID, its name.
    var vlans: [VLAN] = []

    struct VLAN: Equatable, CustomStringConvertible {
        var id: String
        var pvid: Bool
        var name: String
        var description: String { "\(id)\(pvid ? " (pvid)" : "") \(name)" }
    }

    /// lldpcli's JSON: `lldp.interface` is an object keyed by interface name for one
    /// neighbour and a list of such objects for several; `chassis` is keyed by the system
    /// name when there is one; a list-valued field may be a single object when it has one
    /// element. Empty when nothing was heard (`"lldp": {}` or `"lldp": [...]`).
    static func parse(_ json: String) throws -> [LLDPDNeighbor] {
        guard let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw LabFailure(description: "lldpcli printed no JSON object:\n\(json)")
        }
        guard let lldp = root["lldp"] as? [String: Any] else { return [] }
        var out: [LLDPDNeighbor] = []
        for entry in list(lldp["interface"]) {
            for (name, value) in entry {
                guard let interface = value as? [String: Any] else { continue }
                var n = LLDPDNeighbor()
                n.interface = name
                var chassis = interface["chassis"] as? [String: Any] ?? [:]
                if chassis["id"] == nil, let (systemName, inner) = chassis.first, let inner = inner as? [String: Any] {
                    n.systemName = systemName
                    chassis = inner
                }
                let chassisID = chassis["id"] as? [String: Any] ?? [:]
                n.chassisIDType = chassisID["type"] as? String ?? ""
                n.chassisID = chassisID["value"] as? String ?? ""
                n.systemDescription = chassis["descr"] as? String ?? ""
                // One address is a string, several a list.
                n.managementIPs = chassis["mgmt-ip"] as? [String] ?? (chassis["mgmt-ip"] as? String).map { [$0] } ?? []
                for capability in list(chassis["capability"]) {
                    if let type = capability["type"] as? String { n.capabilities[type] = capability["enabled"] as? Bool ?? false }
                }
                let port = interface["port"] as? [String: Any] ?? [:]
                let portID = port["id"] as? [String: Any] ?? [:]
                n.portIDType = portID["type"] as? String ?? ""
                n.portID = portID["value"] as? String ?? ""
                n.portDescription = port["descr"] as? String ?? ""
                n.timeToLive = port["ttl"] as? String ?? ""
                n.vlans = list(interface["vlan"]).map {
                    VLAN(id: $0["vlan-id"] as? String ?? "", pvid: $0["pvid"] as? Bool ?? false, name: $0["value"] as? String ?? "")
                }
                out.append(n)
            }
        }
        return out
    }

    /// A JSON value that is a list of objects or one object, as a list.
    private static func list(_ value: Any?) -> [[String: Any]] {
        if let one = value as? [String: Any] { return [one] }
        return value as? [[String: Any]] ?? []
    }
}
#endif
