import Fluent
import Foundation
import SQLKit

/// Growing delays for failed logins, instead of a lock that anyone could set off.
///
/// Failures are counted per source address, per (address, account) and per account, in the
/// database so that every instance counts the same. Each scope has an allowance of failures; past
/// it, logins in that scope wait 1, 2, 4, … seconds (at most 15 minutes) after each failure. A
/// failure more than an hour after the scope's last one starts the count again. The account is
/// named by the e-mail address as typed, whether an account has it or not, so unknown and real
/// accounts are throttled alike. Nothing here touches API tokens, TAXII clients or open sessions.
enum LoginThrottle {
    /// What a count is kept for.
    enum Scope: String, Sendable, CaseIterable {
        case address
        case pair
        case account
    }

    /// The longest wait.
    static let longestDelay: TimeInterval = 15 * 60
    /// How long a scope remembers its failures.
    static let memory: TimeInterval = 60 * 60
    static let table = "login_throttles"

    /// The failures a scope may have before its logins wait.
    static func allowance(_ scope: Scope, accountThreshold: Int) -> Int {
        switch scope {
        case .address: 20
        case .pair: 3
        case .account: accountThreshold
        }
    }

    /// The wait after the `failures`-th failure: none within the allowance, then doubling.
    static func delay(afterFailures failures: Int, allowance: Int) -> TimeInterval? {
        guard failures >= allowance else { return nil }
        return min(pow(2, Double(min(failures - allowance, 20))), longestDelay)
    }

    /// The keys of one attempt. The address is the client's as `Request.clientAddress` reads it.
    static func keys(address: String?, email: String) -> [Scope: String] {
        let address = address ?? "unknown"
        return [.address: "address:\(address)", .pair: "pair:\(address) \(email)", .account: "account:\(email)"]
    }

    /// Until when each scope of `keys` waits, for the scopes that wait now.
    static func waits(_ keys: [Scope: String], now: Date, on db: any Database) async throws -> [Scope: Date] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        let rows = try await sql.select().columns("throttle_key", "blocked_until").from(table)
            .where("throttle_key", .in, Array(keys.values)).all()
        var waits: [Scope: Date] = [:]
        for row in rows {
            let key = try row.decode(column: "throttle_key", as: String.self)
            guard let scope = keys.first(where: { $0.value == key })?.key,
                let until = try row.decode(column: "blocked_until", as: Double?.self),
                until > now.timeIntervalSince1970
            else { continue }
            waits[scope] = Date(timeIntervalSince1970: until)
        }
        return waits
    }

    /// What a failure did: the scopes that now wait and until when, and those whose wait it began
    /// (the first failure past the allowance since the count last started).
    struct Outcome: Sendable {
        var waits: [Scope: Date] = [:]
        var began: Set<Scope> = []
    }

    /// Counts a failure in each scope of `keys`, in a transaction that starts with the write.
    @discardableResult
    static func recordFailure(
        _ keys: [Scope: String], accountThreshold: Int, now: Date, on db: any Database
    ) async throws -> Outcome {
        try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { return Outcome() }
            return try await count(keys, accountThreshold: accountThreshold, now: now, on: sql)
        }
    }

    private static func count(
        _ keys: [Scope: String], accountThreshold: Int, now: Date, on sql: any SQLDatabase
    ) async throws -> Outcome {
        let time = now.timeIntervalSince1970
        var outcome = Outcome()
        for scope in Scope.allCases {
            guard let key = keys[scope] else { continue }
            let rows = try await sql.raw(
                """
                INSERT INTO \(ident: table) (throttle_key, failures, last_failure_at, blocked_until)
                VALUES (\(bind: key), 1, \(bind: time), NULL)
                ON CONFLICT (throttle_key) DO UPDATE SET
                    failures = CASE WHEN \(ident: table).last_failure_at < \(bind: time - memory) THEN 1
                        ELSE \(ident: table).failures + 1 END,
                    last_failure_at = \(bind: time)
                RETURNING failures
                """
            ).all()
            let failures = try rows.first?.decode(column: "failures", as: Int.self) ?? 1
            let allowed = allowance(scope, accountThreshold: accountThreshold)
            guard let delay = delay(afterFailures: failures, allowance: allowed) else { continue }
            try await sql.update(table).set("blocked_until", to: time + delay).where("throttle_key", .equal, key).run()
            outcome.waits[scope] = now.addingTimeInterval(delay)
            if failures == allowed { outcome.began.insert(scope) }
        }
        return outcome
    }

    /// Forgets the failures of `scopes` (after a good login).
    static func clear(_ keys: [Scope: String], scopes: [Scope], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let chosen = scopes.compactMap { keys[$0] }
        guard !chosen.isEmpty else { return }
        try await sql.delete(from: table).where("throttle_key", .in, chosen).run()
    }
}
