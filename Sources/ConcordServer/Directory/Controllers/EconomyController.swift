import Fluent
import Vapor

/// `/api/v1/economies`: the forum's economies.
struct EconomyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let economies = routes.grouped(.constant(Paths.economies))
        economies.get(use: list)
        economies.post(use: create)
        economies.get(":economy", use: show)
        economies.patch(":economy", use: update)
        economies.delete(":economy", use: delete)
    }

    @Sendable func list(req: Request) async throws -> [EconomyDTO] {
        try req.policy.require(.readDirectory)
        return try await Economy.query(on: req.db).sort(\.$name).all().map(EconomyDTO.init)
    }

    @Sendable func show(req: Request) async throws -> EconomyDTO {
        try req.policy.require(.readDirectory)
        return try EconomyDTO(try await DirectoryQueries.economy(req.parameters.get("economy") ?? "", on: req.db))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.policy.require(.manageEconomies)
        let input = try req.content.decode(EconomyInput.self)
        try input.validate(creating: true)
        let economy = Economy(name: (input.name ?? "").trimmingCharacters(in: .whitespaces), isoCode: input.isoCode)
        try await req.db.writeTransaction { db in
            try await Self.ensureUnique(economy, on: db)
            try await economy.create(on: db)
            try await AuditLog.record(
                "economy.create", targetType: "economy", targetID: economy.id?.uuidString,
                summary: "created \(economy.name)", caller: req.caller, on: db)
        }
        return try await EconomyDTO(economy).encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> EconomyDTO {
        try req.policy.require(.manageEconomies)
        let input = try req.content.decode(EconomyInput.self)
        try input.validate(creating: false)
        let economy = try await DirectoryQueries.economy(req.parameters.get("economy") ?? "", on: req.db)
        if let name = input.name { economy.name = name.trimmingCharacters(in: .whitespaces) }
        if let code = input.isoCode { economy.isoCode = code }
        try await req.db.writeTransaction { db in
            try await Self.ensureUnique(economy, on: db)
            try await economy.save(on: db)
            try await AuditLog.record(
                "economy.update", targetType: "economy", targetID: economy.id?.uuidString,
                summary: "updated \(economy.name)", caller: req.caller, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        return try EconomyDTO(economy)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try req.policy.require(.manageEconomies)
        let economy = try await DirectoryQueries.economy(req.parameters.get("economy") ?? "", on: req.db)
        let teams = try await Team.query(on: req.db).filter(\.$economy.$id == economy.requireID()).count()
        guard teams == 0 else { throw ConcordError(.conflict, "\(economy.name) still has \(teams) team(s)") }
        try await req.db.writeTransaction { db in
            try await ConstituencyEntry.query(on: db)
                .filter(\.$kind == .economy).filter(\.$value == economy.requireID().uuidString).delete()
            try await economy.delete(on: db)
            try await AuditLog.record(
                "economy.delete", targetType: "economy", targetID: economy.id?.uuidString,
                summary: "deleted \(economy.name)", caller: req.caller, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        return .noContent
    }

    private static func ensureUnique(_ economy: Economy, on db: any Database) async throws {
        var query = Economy.query(on: db).group(.or) { group in
            group.filter(\.$name == economy.name)
            if let code = economy.isoCode { group.filter(\.$isoCode == code) }
        }
        if let id = economy.id { query = query.filter(\.$id != id) }
        if try await query.count() > 0 {
            throw ConcordError(.conflict, "an economy with this name or ISO code exists already")
        }
    }
}
