import Console
import Foundation

/// `show version`.
struct VersionReport: ShowReport {
    var version: String
    var hostname: String
    var ports: Int
    var bootTime: Date
    var uptimeSeconds: Int

    var lines: [String] {
        let up = uptimeSeconds
        return ["VMready switch operating system, version \(version)",
                "Hostname \"\(hostname)\", \(ports) ports",
                "Uptime: \(up / 86400) days, \(up / 3600 % 24) hours, \(up / 60 % 60) minutes, \(up % 60) seconds"]
    }
}
