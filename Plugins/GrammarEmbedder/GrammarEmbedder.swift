import Foundation
import PackagePlugin

/// Embeds Grammar/*.grammar into the target as Swift source, so the switch needs no file
/// lookup at run time, and checks the grammar on the way: a mistake fails the build with file:line.
/// Also generates each action's typed arguments, so handlers that do not follow the grammar fail the build.
@main
struct GrammarEmbedder: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let grammarDir = context.package.directoryURL.appending(path: "Grammar")
        let files = try FileManager.default
            .contentsOfDirectory(at: grammarDir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "grammar" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedGrammar.swift")
        // Each action's typed arguments and handler registration (grammar-embed's ActionCode).
        let actions = context.pluginWorkDirectoryURL.appending(path: "GrammarActions.swift")
        return [
            .buildCommand(
                displayName: "Checking and embedding Grammar/ (\(files.count) files)",
                executable: try context.tool(named: "grammar-embed").url,
                arguments: [output.path, actions.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output, actions])
        ]
    }
}
