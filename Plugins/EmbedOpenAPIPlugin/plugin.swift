import Foundation
import PackagePlugin

/// Embeds `docs/openapi.json` (written by Tools/openapi.py) into the target as Swift source,
/// so the binary serves the very document in the repository, with no generated copy to commit.
@main
struct EmbedOpenAPIPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let document = context.package.directoryURL.appending(path: "docs/openapi.json")
        let output = context.pluginWorkDirectoryURL.appending(path: "OpenAPIDocument.swift")
        return [
            .buildCommand(
                displayName: "Embedding docs/openapi.json",
                executable: try context.tool(named: "EmbedOpenAPI").url,
                arguments: [document.path, output.path],
                inputFiles: [document],
                outputFiles: [output]
            )
        ]
    }
}
