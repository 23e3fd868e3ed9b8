import Flash
import Foundation
import Testing

@Suite struct FlashStoreTests {
    @Test func saveSurvivesReopen() throws {
        let directory = try TemporaryDirectory()
        let config = "hostname \"core-1\"\nvlan 100\n        name \"é servers\"\n        exit\n"
        do {
            let (store, notice) = try FlashStore.open(directory: directory.path)
            #expect(notice == nil)
            #expect(try store.startupConfig() == nil)
            try store.save(config, by: "console", comment: nil)
        }
        let (store, notice) = try FlashStore.open(directory: directory.path)
        #expect(notice == nil)
        #expect(try store.startupConfig() == config)
    }

    @Test func emptyConfigIsSavedNotErased() throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try FlashStore.open(directory: directory.path)
        try store.save("", by: "console", comment: nil)
        #expect(try store.startupConfig() == "")
    }

    @Test func eraseKeepsTheArchive() throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try FlashStore.open(directory: directory.path)
        try store.save("hostname a\n", by: "console", comment: "first")
        try store.erase()
        #expect(try store.startupConfig() == nil)
        #expect(try store.archive().map(\.text) == ["hostname a\n"])
        let (reopened, _) = try FlashStore.open(directory: directory.path)
        #expect(try reopened.startupConfig() == nil)
    }

    @Test func archiveKeepsTheLastTwentyNewestFirst() throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try FlashStore.open(directory: directory.path)
        let before = Date(timeIntervalSinceNow: -1)
        for number in 1...25 {
            try store.save("hostname s\(number)\n", by: "session \(number)",
                           comment: number.isMultiple(of: 2) ? "even \(number)" : nil)
        }
        let archive = try store.archive()
        #expect(archive.count == FlashStore.archiveLimit)
        #expect(archive.map(\.number) == Array(1...20))
        #expect(archive.map(\.text) == (6...25).reversed().map { "hostname s\($0)\n" })
        #expect(archive.map(\.session) == (6...25).reversed().map { "session \($0)" })
        #expect(archive.map(\.comment) == (6...25).reversed().map { $0.isMultiple(of: 2) ? "even \($0)" : nil })
        #expect(archive.allSatisfy { $0.size == $0.text.utf8.count && $0.time >= before })
        #expect(zip(archive, archive.dropFirst()).allSatisfy { $0.time >= $1.time })
        #expect(try store.startupConfig() == "hostname s25\n")

        #expect(try store.archived(1) == archive[0])
        #expect(try store.archived(20) == archive[19])
        #expect(try store.archived(20)?.text == "hostname s6\n")
        #expect(try store.archived(21) == nil)
        #expect(try store.archived(0) == nil)
    }

    @Test func sizeCountsBytes() throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try FlashStore.open(directory: directory.path)
        try store.save("é\n", by: "console", comment: "ü")
        let entry = try #require(try store.archived(1))
        #expect(entry.size == 3)
        #expect(entry.comment == "ü")
    }

    /// Sessions save from their own threads; every save must land whole.
    @Test func concurrentSavesFromSeveralThreads() async throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try FlashStore.open(directory: directory.path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for session in 0..<4 {
                group.addTask {
                    for number in 0..<5 {
                        try store.save("hostname t\(session)-\(number)\n", by: "s\(session)", comment: nil)
                        _ = try store.startupConfig()
                    }
                }
            }
            try await group.waitForAll()
        }
        let archive = try store.archive()
        #expect(archive.count == 20)
        #expect(Set(archive.map(\.text)).count == 20)
        #expect(try store.startupConfig() == archive[0].text)
    }
}
