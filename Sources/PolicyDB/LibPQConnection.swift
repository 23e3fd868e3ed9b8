import CLibPQ
import Foundation

/// One libpq connection, used by one thread. Every statement binds its values as
/// parameters (PQexecParams): no value is ever spliced into SQL text.
final class LibPQConnection {
    private let handle: OpaquePointer

    /// Connects with `uri` expanded by libpq (`postgresql://user@host:port/db` or
    /// `key=value` form) and the password, when given, as its own parameter.
    init(uri: String, password: String?, connectTimeout: Int) throws(PolicyDBError) {
        // Later parameters override what the expanded URI sets; the password is never part
        // of any string that could be logged.
        var pairs: [(String, String)] = [("dbname", uri)]
        if let password { pairs.append(("password", password)) }
        pairs.append(("connect_timeout", String(max(1, connectTimeout))))
        pairs.append(("application_name", "vmready"))
        let keywords = pairs.map { strdup($0.0) } + [nil]
        let values = pairs.map { strdup($0.1) } + [nil]
        defer {
            for pointer in keywords + values { free(pointer) }
        }
        let connection = keywords.withUnsafeBufferPointer { keywordBuffer in
            values.withUnsafeBufferPointer { valueBuffer in
                keywordBuffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: keywords.count) { k in
                    valueBuffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: values.count) { v in
                        PQconnectdbParams(k, v, 1)
                    }
                }
            }
        }
        guard let connection else { throw .connect("out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.message(PQerrorMessage(connection))
            PQfinish(connection)
            throw .connect(message)
        }
        // The server's NOTICEs ("relation already exists, skipping") would go to stderr:
        // nothing an operator needs, and the switch's console is not libpq's.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
    }

    deinit { PQfinish(handle) }

    var isAlive: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The socket libpq reads notifications from, for poll().
    var socket: Int32 { PQsocket(handle) }

    /// Runs `sql` with `parameters` ($1...; nil is SQL NULL) and returns its rows as text.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws(PolicyDBError) -> PGRows {
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for pointer in copies { free(pointer) } }
        let result = copies.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values in
                PQexecParams(handle, sql, Int32(parameters.count), nil, values.baseAddress, nil, nil, 0)
            }
        }
        guard let result else {
            throw isAlive ? .statement(Self.message(PQerrorMessage(handle)), sqlState: nil)
                          : .connectionLost(Self.message(PQerrorMessage(handle)))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
            return PGRows(result)
        default:
            let message = Self.message(PQresultErrorMessage(result))
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            if !isAlive { throw .connectionLost(message) }
            // 57014 query_canceled: the statement timeout (a lock held, a slow server).
            if state == "57014" { throw .timeout(message) }
            throw .statement(message, sqlState: state)
        }
    }

    /// Reads what the server sent and returns the notifications received, without waiting.
    func notifications() throws(PolicyDBError) -> [(channel: String, payload: String)] {
        guard PQconsumeInput(handle) == 1 else { throw .connectionLost(Self.message(PQerrorMessage(handle))) }
        var out: [(String, String)] = []
        while let notify = PQnotifies(handle) {
            out.append((String(cString: notify.pointee.relname), String(cString: notify.pointee.extra)))
            PQfreemem(notify)
        }
        return out
    }

    /// libpq's messages end in a newline and may span lines: one line for the log.
    static func message(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "unknown error" }
        let text = String(cString: pointer).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return text.isEmpty ? "unknown error" : text.joined(separator: "; ")
    }

    /// The options libpq reads from `uri` (nil values left out), or why it cannot read it.
    static func parse(uri: String) -> Result<[String: String], PolicyDBError> {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(uri, &error) else {
            let text = error.map { Self.message(UnsafePointer($0)) } ?? "cannot be parsed"
            if let error { PQfreemem(error) }
            return .failure(.settings("policy database URI: \(text)"))
        }
        defer { PQconninfoFree(options) }
        var out: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { out[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return .success(out)
    }
}

/// A statement's result as text, copied out of libpq's result.
struct PGRows {
    let columns: [String]
    let rows: [[String?]]

    init(_ result: OpaquePointer) {
        let columnCount = Int(PQnfields(result))
        columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        rows = (0..<Int(PQntuples(result))).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, Int32(row), Int32(column)) == 1 ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
            }
        }
    }

    var count: Int { rows.count }
}
