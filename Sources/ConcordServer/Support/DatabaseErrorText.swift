import FluentPostgresDriver
import SQLiteNIO

/// One line that says what a database error was: PostgreSQL's SQLSTATE, message and detail
/// (its errors print only a generic text, to keep data out of logs by default), SQLite's reason
/// and message. For start-up failures an operator must act on; never for request errors, whose
/// detail may quote stored values.
public enum DatabaseErrorText {
    /// The line, or nil when `error` is not a database error.
    public static func line(for error: any Error) -> String? {
        switch error {
        case let postgres as PSQLError:
            guard let info = postgres.serverInfo else { return "PostgreSQL: \(postgres.code.description)" }
            var text = "PostgreSQL \(info[.severity] ?? "ERROR") \(info[.sqlState] ?? "?????"): \(info[.message] ?? "")"
            if let detail = info[.detail] { text += " (\(detail))" }
            return text
        case let sqlite as SQLiteError:
            return "SQLite: \(sqlite.description)"
        default:
            return nil
        }
    }
}
