import Console
import Flash
import Foundation
import Synchronization

/// The switch's flash as it stands: open, or unusable and why.
///
/// The switch always comes up. When flash cannot be opened (a full or read-only state
/// directory, a database another process holds) it boots from the startup-config the
/// flash still lets it read, or from the defaults, and says so once. Every flash command
/// tries to open it again, so `write memory` works as soon as the fault is fixed and is
/// refused with the reason until then.
final class FlashSlot: Sendable {
    /// The state directory; nil when the switch runs without one (no flash at all).
    let directory: String?
    private let store: Mutex<FlashStore?>
    /// What opening flash at boot had to say (damage moved aside, flash unusable).
    let notice: String?
    /// The startup-config read from a flash that could not be opened, for the boot.
    private let unopenedText: String?
    /// Applied to every saved text when flash opens (clear-text secrets an older version
    /// stored are hashed in place).
    private let scrub: @Sendable (String) -> String

    init(directory: String?, scrub: @escaping @Sendable (String) -> String) {
        self.directory = directory
        self.scrub = scrub
        guard let directory else {
            store = Mutex(nil)
            (notice, unopenedText) = (nil, nil)
            return
        }
        do throws(FlashError) {
            let (opened, notice) = try FlashStore.open(directory: directory)
            store = Mutex(opened)
            let scrubbed = Self.scrubbing(opened, scrub)
            (self.notice, unopenedText) = (notice.map { n in scrubbed.map { n + "; " + $0 } ?? n } ?? scrubbed, nil)
        } catch {
            store = Mutex(nil)
            let unusable = "flash: unusable (\(Self.reason(error)))"
            let refused = "'write memory' is refused until flash works"
            switch FlashStore.readStartupConfig(directory: directory) {
            case .success(let text?):
                unopenedText = text
                notice = "\(unusable); booting from the startup-config it holds; \(refused)"
            case .success(nil):
                unopenedText = nil
                notice = "\(unusable); booting with the default configuration; \(refused)"
            case .failure(let readError):
                unopenedText = nil
                notice = "\(unusable); cannot read it either (\(Self.reason(readError))); "
                    + "booting with the default configuration; \(refused)"
            }
        }
    }

    /// The open flash, if it is open now.
    var opened: FlashStore? { store.withLock { $0 } }

    /// The open flash, opening it again if it was unusable; `reopened` is what that
    /// opening had to say (for the log). Throws the reason it is still unusable.
    func current() throws(CommandFailure) -> (store: FlashStore, reopened: String?) {
        guard let directory else { throw CommandFailure("No flash: this switch runs without a state directory") }
        return try store.withLock { (slot: inout FlashStore?) throws(CommandFailure) -> (store: FlashStore, reopened: String?) in
            if let slot { return (slot, nil) }
            do throws(FlashError) {
                let (opened, notice) = try FlashStore.open(directory: directory)
                slot = opened
                let scrubbed = Self.scrubbing(opened, scrub)
                return (opened, [notice ?? "flash: \(opened.path) opened; flash works again", scrubbed]
                    .compactMap { $0 }.joined(separator: "; "))
            } catch {
                throw CommandFailure("Flash is unusable (\(Self.reason(error))); nothing was read or saved")
            }
        }
    }

    /// The startup-config to boot from: flash's, or what an unusable flash still held.
    func startupConfigForBoot() -> String? {
        guard let store = opened else { return unopenedText }
        return try? store.startupConfig()
    }

    /// Rewrites what `scrub` changes in `store`; a notice when anything changed.
    private static func scrubbing(_ store: FlashStore, _ scrub: (String) -> String) -> String? {
        guard (try? store.rewrite(scrub)) == true else { return nil }
        return "flash: a clear-text enable secret an older version stored was hashed in place"
    }

    /// A flash error's text without its `flash: ` prefix, to go inside another message.
    static func reason(_ error: FlashError) -> String {
        let text = error.description
        return text.hasPrefix("flash: ") ? String(text.dropFirst("flash: ".count)) : text
    }
}

extension VMreadySwitch {
    /// The flash, when it is open (nil without a state directory or while unusable).
    public var flash: FlashStore? { flashSlot.opened }

    /// What opening flash at boot had to say (a damaged database moved aside, flash
    /// unusable), for the console; `show logging` has it too.
    public var flashNotice: String? { flashSlot.notice }
}
