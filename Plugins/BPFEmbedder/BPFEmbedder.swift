import Foundation
import PackagePlugin

/// Compiles BPF/*.bpf.c (the XDP fast path) for the BPF target with the clang that comes
/// with the Swift toolchain, and embeds the object in the target as Swift source, so the
/// switch carries its program and no object file lives in git.
@main
struct BPFEmbedder: BuildToolPlugin {
    struct NoClang: Error, CustomStringConvertible {
        var description: String {
            "BPFEmbedder: no clang next to swiftc or on PATH (the Swift toolchain ships one with the BPF target)"
        }
    }

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let source = context.package.directoryURL.appending(path: "BPF/fast_path.bpf.c")
        let include = context.package.directoryURL.appending(path: "Sources/CXDP/include")
        let object = context.pluginWorkDirectoryURL.appending(path: "fast_path.bpf.o")
        let output = context.pluginWorkDirectoryURL.appending(path: "FastPathObject.swift")
        return [
            .buildCommand(
                displayName: "Compiling and embedding the XDP fast path (BPF/fast_path.bpf.c)",
                executable: try context.tool(named: "bpf-embed").url,
                arguments: [try clang(context).path, source.path, include.path, object.path, output.path],
                inputFiles: [source, include.appending(path: "fast_path_maps.h")],
                outputFiles: [output])
        ]
    }

    /// The toolchain's clang (the one next to swiftc: it has the BPF target), else PATH's.
    private func clang(_ context: PluginContext) throws -> URL {
        if let tool = try? context.tool(named: "clang") { return tool.url }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appending(path: "clang")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw NoClang()
    }
}
