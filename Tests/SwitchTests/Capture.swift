import Console
import Foundation

/// A temporary file to capture what a session writes to a descriptor.
final class Capture {
    let url: URL
    let fd: Int32

    init() {
        url = FileManager.default.temporaryDirectory.appending(path: "vmready-capture-\(UUID().uuidString)")
        fd = open(url.path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
    }

    deinit {
        close(fd)
        try? FileManager.default.removeItem(at: url)
    }

    var output: FileDescriptorOutput { FileDescriptorOutput(fd: fd) }

    var text: String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
}
