import Fluent
import Vapor

/// The database reads the directory's controllers share.
enum DirectoryQueries {
    /// A team by slug with everything `TeamDTO` needs, or 404.
    static func team(slug: String, on database: any Database) async throws -> Team {
        guard
            let team = try await Team.query(on: database)
                .filter(\.$slug == slug)
                .with(\.$economy).with(\.$category).with(\.$contacts).with(\.$constituency).with(\.$statusHistory)
                .first()
        else { throw ConcordError.notFound("team '\(slug)'") }
        return team
    }

    /// An economy by id or ISO code, or 404.
    static func economy(_ key: String, on database: any Database) async throws -> Economy {
        let found: Economy?
        if let id = UUID(uuidString: key) {
            found = try await Economy.find(id, on: database)
        } else {
            found = try await Economy.query(on: database).filter(\.$isoCode == key.uppercased()).first()
        }
        guard let found else { throw ConcordError.notFound("economy '\(key)'") }
        return found
    }
}
