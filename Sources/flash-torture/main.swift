// flash-torture DIR N: saves configs K = (current K + 1)...N into the flash in DIR,
// printing K on stdout after each save returns. The crash test (FlashTests)
// SIGKILLs it at random moments and checks the flash after each kill; a restart
// resumes after the K the flash holds, so several runs add up to N saves.
//
// Each text is self-checking: `! save K`, a body whose length varies with K (so saves
// span different numbers of database pages), and a last line `! checksum H`, the
// FNV-1a 64 hash of everything before it. A torn or mixed text fails the checksum.
import Flash
import Foundation

func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    return hash
}

func config(_ number: Int) -> String {
    var text = "! save \(number)\nhostname \"torture-\(number)\"\n"
    for line in 0..<(20 + (number * 37) % 300) {
        text += "interface port \(line % 48 + 1) description \"save \(number) line \(line)\"\n"
    }
    return text + "! checksum \(String(fnv1a(text), radix: 16))\n"
}

/// The K of the saved startup-config, 0 when there is none.
func savedNumber(_ text: String?) -> Int {
    guard let first = text?.split(separator: "\n").first, first.hasPrefix("! save ") else { return 0 }
    return Int(first.dropFirst("! save ".count)) ?? 0
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("flash-torture: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let last = Int(arguments[2]) else { fail("usage: flash-torture DIR N") }
do {
    let (store, notice) = try FlashStore.open(directory: arguments[1])
    if let notice { fail("unexpected notice: \(notice)") }
    let first = savedNumber(try store.startupConfig()) + 1
    for number in first...max(first, last) where number <= last {
        try store.save(config(number), by: "torture", comment: "save \(number)")
        // write(2) straight to the file, unbuffered: once the line is there, the test
        // knows this save returned, even if the kill comes right after.
        let line = "\(number)\n"
        _ = line.withCString { write(1, $0, strlen($0)) }
    }
} catch {
    fail(error.description)
}
