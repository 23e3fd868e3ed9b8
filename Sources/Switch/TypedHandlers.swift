import CommandEngine
import Console

/// An action of the grammar, typed by the arguments its handler receives. grammar-embed
/// generates one constant per action (`Action.vlanEnter`, in GrammarActions.swift), so a
/// handler registered for a misspelled action, or reading a parameter the grammar no longer
/// has, does not build.
struct Action<Args: ActionArguments>: Sendable {
    let name: String

    init(_ name: String) { self.name = name }
}

/// The arguments of one action as a value (`VLANEnterArguments { let vlan: Int }`), generated
/// from the grammar with the decoding from the engine's string-keyed match.
protocol ActionArguments: Sendable {
    /// Nil only when the match lacks a parameter every line of the action has: the grammar
    /// and the generated code disagree, which a build from Grammar/ rules out.
    init?(_ input: ActionInput)
}

extension HandlerTable {
    /// Registers `handler` for `action`: `t.on(.vlanEnter) { args, ctx throws(CommandFailure) in ... }`.
    mutating func on<Args>(_ action: Action<Args>,
                           _ handler: @escaping @Sendable (Args, CommandContext) throws(CommandFailure) -> Void) {
        on(action.name) { ctx throws(CommandFailure) in
            guard let args = Args(ActionInput(ctx)) else {
                throw CommandFailure("Internal error: \(action.name) was matched without its arguments")
            }
            try handler(args, ctx)
        }
    }
}

/// What the generated decoding reads: the matched line, and the arguments of the command
/// that entered the mode the line belongs to (`interface port 1-4` for `shutdown`).
struct ActionInput {
    let command: MatchedCommand
    let modeArguments: Arguments

    init(command: MatchedCommand, modeArguments: Arguments = Arguments()) {
        self.command = command
        self.modeArguments = modeArguments
    }

    /// The mode is the one the line matched in, not the session's: a line that fell through
    /// to config, or ran through `do`, gets nothing from the sub-mode the session is in.
    init(_ ctx: CommandContext) {
        let frame = ctx.session.stack.last { $0.mode == ctx.command.mode }
        self.init(command: ctx.command, modeArguments: frame?.arguments ?? Arguments())
    }

    /// `read` from the line's arguments, else (for a parameter the mode supplies) from the
    /// mode's; the grammar build refuses a sub-mode line that reuses its mode's name.
    func lookup<T>(_ orFromMode: Bool, _ read: (Arguments) -> T?) -> T? {
        read(command.arguments) ?? (orFromMode ? read(modeArguments) : nil)
    }

    func flag(_ keyword: String) -> Bool { command.has(keyword: keyword) }

    func integer(_ name: String, orFromMode: Bool = false) -> Int? { lookup(orFromMode) { $0.integer(name) } }

    func text(_ name: String, orFromMode: Bool = false) -> String? { lookup(orFromMode) { $0.text(name) } }

    func ports(_ name: String, orFromMode: Bool = false) -> ArgumentTypes.PortList? {
        lookup(orFromMode) { $0.ports(name) }
    }

    func vlans(_ name: String, orFromMode: Bool = false) -> ArgumentTypes.VLANList? {
        lookup(orFromMode) { $0.vlans(name) }
    }
}

extension MatchedCommand {
    /// Whether this is a line of `action`, for code that looks at matched lines outside a handler.
    func isAction<Args>(_ action: Action<Args>) -> Bool { self.action == action.name }

    /// The typed arguments of this line when it is one of `action`; nil otherwise. Outside a
    /// handler there is no session, so parameters a mode supplies are absent.
    func arguments<Args>(as action: Action<Args>) -> Args? {
        isAction(action) ? Args(ActionInput(command: self)) : nil
    }
}
