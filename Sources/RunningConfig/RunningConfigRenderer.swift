/// Renders stanzas into the configuration text: canonical order, blocks separated by `!`,
/// framed by the version line and `end`.
public enum RunningConfigRenderer {
    /// The title line; replay skips it, so the rendered text replays as it is.
    public static let header = "Current configuration:"

    public static func render(version: String, stanzas: [ConfigStanza]) -> [String] {
        var out = [header, "!", "version " + ConfigText.quoted(version)]
        let ordered = stanzas.enumerated().sorted {
            ($0.element.section, $0.element.key, $0.offset) < ($1.element.section, $1.element.key, $1.offset)
        }
        for (_, s) in ordered {
            out.append("!")
            out.append(contentsOf: s.lines)
        }
        out.append("!")
        out.append("end")
        return out
    }
}
