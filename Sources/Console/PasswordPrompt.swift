import CLineShim

/// Reads a secret on a terminal: no echo, Enter ends it, Backspace and Ctrl-U edit it,
/// Ctrl-C gives up. Keys come through the session's input, so `clear line`, the idle limit
/// and a vanished client end the wait as they end any other.
enum PasswordPrompt {
    static let maxLength = 256

    static func read(_ prompt: String, input: SessionInput, out: FileDescriptorOutput) -> String? {
        out.write(prompt)
        out.flush()
        _ = vmr_tty_cbreak(input.fd, 1)
        defer { _ = vmr_tty_cbreak(input.fd, 0) }
        var typed: [UInt8] = []
        defer { for i in typed.indices { typed[i] = 0 } }
        while let byte = input.readByte() {
            switch byte {
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                out.write("\n")
                out.flush()
                return String(decoding: typed, as: UTF8.self)
            case 0x03: // Ctrl-C
                out.write("^C\n")
                out.flush()
                return nil
            case 0x7f, 0x08:
                if !typed.isEmpty { typed.removeLast() }
            case 0x15: // Ctrl-U
                typed.removeAll()
            default:
                if typed.count < maxLength { typed.append(byte) }
            }
        }
        return nil
    }
}
