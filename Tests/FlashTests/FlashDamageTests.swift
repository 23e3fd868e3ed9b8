import Flash
import Foundation
import Testing

/// A damaged flash is moved aside with a notice, never silently replaced.
@Suite struct FlashDamageTests {
    enum Damage: String, CaseIterable, Sendable {
        case garbage, truncated, empty
    }

    @Test(arguments: Damage.allCases)
    func damagedDatabaseIsMovedAside(_ damage: Damage) throws {
        let directory = try TemporaryDirectory()
        do {
            let (store, _) = try FlashStore.open(directory: directory.path)
            for number in 1...30 {
                try store.save(String(repeating: "hostname \(number)\n", count: 200), by: "console", comment: nil)
            }
        }
        let original = try Data(contentsOf: URL(fileURLWithPath: directory.database))
        let damaged: Data
        switch damage {
        case .garbage:
            // Keep the size, overwrite from the header on.
            damaged = Data((0..<original.count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 13) })
        case .truncated:
            damaged = original.prefix(original.count / 3)
        case .empty:
            damaged = Data()
        }
        try damaged.write(to: URL(fileURLWithPath: directory.database))

        let (store, notice) = try FlashStore.open(directory: directory.path)
        let message = try #require(notice)
        #expect(!message.contains("\n"))
        #expect(message.contains("damaged"))
        let aside = try #require(try directory.files().first { $0.hasPrefix("flash.db.damaged-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") })
        #expect(aside.wholeMatch(of: /flash\.db\.damaged-\d{8}-\d{6}/) != nil)
        #expect(message.contains(directory.path + "/" + aside))
        // The old bytes are kept exactly, for whoever investigates.
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + aside)) == damaged)

        // The fresh flash is empty and works, and opening it again is quiet.
        #expect(try store.startupConfig() == nil)
        #expect(try store.archive().isEmpty)
        try store.save("hostname new\n", by: "console", comment: nil)
        let (reopened, again) = try FlashStore.open(directory: directory.path)
        #expect(again == nil)
        #expect(try reopened.startupConfig() == "hostname new\n")
    }

    @Test func aSecondDamageGetsItsOwnName() throws {
        let directory = try TemporaryDirectory()
        for _ in 0..<2 {
            _ = try FlashStore.open(directory: directory.path)
            try Data("not a database, twice over".utf8).write(to: URL(fileURLWithPath: directory.database))
            let (_, notice) = try FlashStore.open(directory: directory.path)
            #expect(notice != nil)
        }
        let aside = try directory.files().filter { $0.hasPrefix("flash.db.damaged-") }
        #expect(aside.count == 2)
    }
}

/// A fault that damages flash at every boot must not fill the disk with copies.
@Suite struct FlashDamagePileTests {
    @Test func onlyTheNewestDamagedFlashesAreKept() throws {
        let directory = try TemporaryDirectory()
        for round in 0..<6 {
            _ = try FlashStore.open(directory: directory.path)
            try Data("damage number \(round)".utf8).write(to: URL(fileURLWithPath: directory.database))
            let (_, notice) = try FlashStore.open(directory: directory.path)
            #expect(notice != nil)
        }
        let aside = try directory.files().filter { $0.hasPrefix("flash.db.damaged-") }
        #expect(aside.count == 3, "\(aside)")
        // The newest are the ones kept.
        let kept = try aside.map { try String(contentsOfFile: directory.path + "/" + $0, encoding: .utf8) }
        #expect(Set(kept) == ["damage number 3", "damage number 4", "damage number 5"])
    }
}
