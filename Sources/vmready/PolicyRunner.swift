import ArgumentParser
import Foundation
import PolicyDB

/// Runs `vmready policy ...`: parse (usage errors exit 2, as for the switch's flags), open
/// and migrate the database, run the subcommand. Any failure is one line on stderr and
/// exit status 1; bad rows skipped are warnings on stderr.
enum PolicyRunner {
    static func run(_ arguments: [String]) -> Int32 {
        let command: ParsableCommand
        do {
            command = try PolicyCommand.parseAsRoot(globalOptionsLast(arguments))
        } catch {
            let code = PolicyCommand.exitCode(for: error)
            if code == .success {
                print(PolicyCommand.fullMessage(for: error))
                return 0
            }
            let message = PolicyCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            printError(message)
            return 2
        }
        guard let subcommand = command as? any PolicySubcommand else {
            // `vmready policy` or `vmready policy profile` alone: say what is there.
            print(PolicyCommand.helpMessage(for: type(of: command)))
            return 2
        }
        do throws(PolicyDBError) {
            let connection = try PolicyConnection(uri: subcommand.database.uri, passwordFile: subcommand.database.passwordFile,
                                                  connectTimeout: 10, statementTimeout: .seconds(30))
            try connection.migrate()
            let output = try subcommand.run(on: connection)
            for warning in output.warnings { printError("warning: \(warning)") }
            if !output.text.isEmpty { FileHandle.standardOutput.write(Data(output.text.utf8)) }
            return 0
        } catch {
            printError(error.description)
            return 1
        }
    }

    /// `vmready policy --db URI profile add ...` is how policy-db.md writes it, but the
    /// parser takes a subcommand's options after its name: the database options given
    /// before the first subcommand move to the end.
    static func globalOptionsLast(_ arguments: [String]) -> [String] {
        let global = ["--db", "--password-file"]
        var moved: [String] = []
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if !rest.isEmpty || !argument.hasPrefix("-") {
                rest.append(argument)
            } else if global.contains(argument), index + 1 < arguments.count {
                moved += [argument, arguments[index + 1]]
                index += 1
            } else if global.contains(where: { argument.hasPrefix($0 + "=") }) || global.contains(argument) {
                moved.append(argument)
            } else {
                rest.append(argument)
            }
            index += 1
        }
        return rest + moved
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("vmready: \(message)\n".utf8))
    }
}
