// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "vmready",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vmready", targets: ["vmready"]),
        .executable(name: "vmready-bench", targets: ["vmready-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Persistent hash trees: the configuration is copied for every command (edit a copy,
        // publish, keep), so its large parts (100,000 group members) must copy in O(log n).
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // C libraries. libedit's el_set/history are variadic, so a tiny shim wraps them.
        .systemLibrary(name: "CEditLine", path: "Sources/CEditLine",
                       providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CPcap", path: "Sources/CPcap",
                       providers: [.apt(["libpcap-dev"])]),
        .target(name: "CLineShim", dependencies: ["CEditLine"], path: "Sources/CLineShim"),

        // The command engine: grammar, graph, matching, completion, help. Pure.
        .target(name: "CommandEngine", dependencies: ["SwitchTypes"]),
        // Checks Grammar/ at build time (file:line errors) and embeds it as Swift source.
        .executableTarget(name: "grammar-embed", dependencies: ["CommandEngine"]),
        .plugin(name: "GrammarEmbedder", capability: .buildTool(), dependencies: ["grammar-embed"]),

        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // The running configuration as text: stanzas, their canonical order and rendering,
        // configuration files read back. Pure.
        .target(name: "RunningConfig"),
        // BEGIN flash targets
        // The startup-config store: SQLite in the state directory, atomic saves, the archive.
        .target(name: "Flash", dependencies: ["CSQLite"]),
        // Saves configs in a loop; the flash crash test SIGKILLs it at random moments.
        .executableTarget(name: "flash-torture", dependencies: ["Flash"]),
        .testTarget(name: "FlashTests", dependencies: ["Flash", "flash-torture", "TestSupport"]),
        // END flash targets
        // Frames and their encodings (Ethernet, 802.1Q/802.1ad tags, ARP, IPv4): pure values
        // and functions shared by the dataplane, the VM layer and the protocol agents.
        .target(name: "Frames"),
        // The frame codecs: byte vectors from the standards, fuzzing, and tshark reading
        // what the encoders write.
        .testTarget(name: "FramesTests", dependencies: ["Frames", "FrameTestSupport"], exclude: ["Corpus"]),
        // Plain types the dataplane and the layers around it share without one knowing
        // the other: the switch clock's Timestamp, the per-station policy values the VM
        // layer computes and the dataplane enforces (StationPolicy, Shaping, RateLimit),
        // ThreadLock for state shared with the forwarding thread, and the LearningEvent the
        // forwarding path reports a newly learned or moved station with.
        .target(name: "SwitchTypes", dependencies: ["Frames"]),
        // libvirt's client library (the test driver plays the hypervisors in the lab tests).
        .systemLibrary(name: "CLibvirt", path: "Sources/CLibvirt", pkgConfig: "libvirt",
                       providers: [.apt(["libvirt-dev"])]),
        // libxml2, for reading domain XML (Sources/CLibXML2/shim.h says why not FoundationXML).
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        // libpq, PostgreSQL's own client library, for the data-centre policy database.
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        // Data-centre-wide policy in PostgreSQL: schema and migrations, profiles, assignments,
        // VSI types and VM locations, LISTEN/NOTIFY, and the switch's long-lived client.
        .target(name: "PolicyDB", dependencies: ["CLibPQ", "Frames", "SwitchTypes"]),
        // Against a real PostgreSQL the tests start (Tests/TestSupport/PostgresServer.swift).
        .testTarget(name: "PolicyDBTests", dependencies: ["PolicyDB", "TestSupport", "FrameTestSupport", "Frames", "SwitchTypes", "vmready"]),
        // Hypervisor connections through libvirt: inventory, lifecycle events, metadata.
        .target(name: "VMManager", dependencies: ["Frames", "SwitchTypes", "CLibvirt", "CLibXML2"]),
        // The domain XML reader fuzzed; the client against real libvirtd is in LabTests.
        .testTarget(name: "VMManagerTests", dependencies: ["VMManager", "Frames", "FrameTestSupport"]),
        // The VM layer knows frames, not the forwarding engine: the switch plugs its
        // VMTable into the dataplane's learning hook (VMTableLearningObserver).
        .target(name: "Virtualization", dependencies: [
            "Frames", "SwitchTypes", .product(name: "HashTreeCollections", package: "swift-collections"),
        ]),
        // The detection and migration tests run the VM table behind a real pipeline,
        // plugged in as the switch does it.
        .testTarget(name: "VirtualizationTests",
                    dependencies: ["Virtualization", "SwitchTypes", "Dataplane", "Switch", "Frames", "FrameTestSupport"]),
        // Control-plane protocols (LLDP, DCBX, ...): one folder per protocol, each an agent of
        // the same shape, and the one loop that runs them. Knows frames, not the forwarding
        // engine: the switch gives the loop its clock, the punted frames and a transmit.
        .target(name: "Protocols", dependencies: ["Frames", "SwitchTypes"]),
        .testTarget(name: "ProtocolsTests", dependencies: ["Protocols", "Frames", "SwitchTypes", "FrameTestSupport"]),
        // Remote syslog: RFC 5424 messages and a non-blocking sender per collector (UDP, or
        // TCP with RFC 6587 octet counting). Knows nothing of the switch.
        .target(name: "Syslog"),
        .testTarget(name: "SyslogTests", dependencies: ["Syslog", "TestSupport"]),
        .target(name: "Console", dependencies: ["CommandEngine", "CEditLine", "CLineShim"]),
        // BEGIN dataplane targets
        // The forwarding path touches class state per frame; Swift's dynamic exclusivity
        // checks on those accesses cost a fifth of the cycles. The pipeline is
        // single-threaded by construction (one forwarding thread, control changes handed
        // over between batches), and the debug test build keeps the checks.
        // Cache prefetch for the policy path's batch look-ahead (a compiler builtin Swift lacks).
        .target(name: "CPrefetch", path: "Sources/CPrefetch"),
        // AF_XDP ports: <xdp/xsk.h>'s ring accessors are static inline, so the per-batch
        // rx/tx loops are C, called once per batch from Swift.
        .target(name: "CXDP", path: "Sources/CXDP", linkerSettings: [.linkedLibrary("xdp"), .linkedLibrary("bpf")]),
        // The XDP fast path's program (BPF/fast_path.bpf.c), compiled for the BPF target with
        // the toolchain's clang and embedded as Swift source at build time.
        .executableTarget(name: "bpf-embed"),
        .plugin(name: "BPFEmbedder", capability: .buildTool(), dependencies: ["bpf-embed"]),
        .target(name: "Dataplane", dependencies: ["Frames", "SwitchTypes", "CPcap", "CPrefetch", "CXDP"], exclude: ["README.md"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))],
                plugins: ["BPFEmbedder"]),
        .testTarget(name: "DataplaneTests", dependencies: ["Dataplane", "Frames", "SwitchTypes", "FrameTestSupport"]),
        // END dataplane targets
        // net-snmp's agent library (libsnmp-dev): the switch is an AgentX subagent of snmpd.
        // Every call into the library is in this C target (its macros, variadic helpers and
        // subagent globals), made on the one agent thread that owns it.
        .target(name: "CNetSNMP", path: "Sources/CNetSNMP",
                linkerSettings: [.linkedLibrary("netsnmpagent"), .linkedLibrary("netsnmp")]),
        .target(name: "Switch",
                dependencies: ["CommandEngine", "Console", "Flash", "RunningConfig", "Frames", "SwitchTypes", "Dataplane", "Virtualization", "Protocols", "VMManager", "PolicyDB", "CAccessShim", "CNetSNMP", "Syslog"],
                plugins: ["GrammarEmbedder"]),
        // BEGIN access targets
        // Descriptor passing, peer credentials and libcrypt's yescrypt, which Swift cannot reach.
        .target(name: "CAccessShim", path: "Sources/CAccessShim", linkerSettings: [.linkedLibrary("crypt")]),
        // The control socket: connected sessions (SSH, serial) and the `vmready connect` client.
        .target(name: "Access", dependencies: ["Switch", "Console", "CAccessShim"]),
        // A real sshd, a serial line (socat) and concurrent batches against the built binary.
        .testTarget(name: "AccessTests", dependencies: ["vmready", "TestSupport"]),
        // END access targets
        .executableTarget(name: "vmready", dependencies: [
            "Switch", "Flash", "RunningConfig", "Console", "Dataplane", "Frames", "Access", "VMManager", "PolicyDB", "SwitchTypes",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "vmready-bench", dependencies: ["Switch", "Console", "CommandEngine", "Flash", "Frames", "SwitchTypes", "Dataplane", "Virtualization", "Protocols", "VMManager", "PolicyDB", "Access", "CLineShim",
                                                          // A real PostgreSQL for policydb.*, as the tests start it.
                                                          "TestSupport"]),

        .testTarget(name: "CommandEngineTests", dependencies: ["CommandEngine"], exclude: ["Corpus"]),
        // Batch sessions, in process and through the built binary.
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "Switch", "CommandEngine", "CLineShim", "vmready", "TestSupport", "FrameTestSupport"]),
        .testTarget(name: "SwitchTests", dependencies: ["Switch", "Console", "CommandEngine", "Flash", "Frames", "SwitchTypes", "Dataplane", "Virtualization", "Protocols", "VMManager", "PolicyDB", "FrameTestSupport", "TestSupport", "Syslog"]),
        // Drives the built `vmready` binary in real terminals (tmux).
        // Frames built byte by byte, shared by the dataplane and VM-awareness tests.
        .target(name: "FrameTestSupport", dependencies: ["Frames", "TestSupport"], path: "Tests/FrameTestSupport"),
        // Shared by the test targets that start child processes.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TerminalTests", dependencies: ["vmready", "TestSupport"]),
        .testTarget(name: "LabTests", dependencies: ["vmready", "TestSupport", "VMManager", "Frames", "Protocols", "SwitchTypes"]),
    ],
    swiftLanguageModes: [.v6]
)
