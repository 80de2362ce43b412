import ConcordCore
import Fluent
import Vapor

/// `/api/v1/teams/{team}/sensors` (a team's sensors: list; register one, its token shown once)
/// and `/api/v1/sensor-uploads` (where agents send hourly aggregates with their sensor token).
struct SensorController: RouteCollection {
    /// The largest upload body: three months of hours with their tables.
    static let uploadLimit = 32 << 20

    func boot(routes: any RoutesBuilder) throws {
        let sensors = routes.grouped(.constant(Paths.teams), ":team", .constant(Paths.Sensors.sensors))
        sensors.get(use: list)
        sensors.post(use: register)
        routes.on(
            .POST, .constant(Paths.Sensors.uploads), body: .collect(maxSize: ByteCount(value: Self.uploadLimit)),
            use: upload)
    }

    @Sendable func list(req: Request) async throws -> [SensorDTO] {
        try req.policy.require(.readDirectory)
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.readTeamPrivate(team: team.requireID()))
        let totals = try await SensorHub.totals(team: team.requireID(), on: req.db)
        return try await Sensor.query(on: req.db).filter(\.$team.$id == team.requireID()).sort(\.$name).all().map {
            var dto = SensorDTO($0, token: nil)
            let total = totals[try $0.requireID()]
            dto.hoursStored = total?.hours ?? 0
            dto.packets = total?.packets ?? 0
            return dto
        }
    }

    @Sendable func register(req: Request) async throws -> Response {
        try req.policy.require(.readDirectory)
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.editTeam(team: team.requireID()))
        let input = try req.content.decode(SensorInput.self)
        let (sensor, token) = try await SensorHub.register(
            team: team, name: input.name, prefix: input.prefix, location: input.location ?? "", caller: req.caller)
        return try await SensorDTO(sensor, token: token).encodeResponse(status: .created, for: req)
    }

    /// Authenticated by the sensor's own token (`Authorization: Bearer sensor_…`), not a user's.
    @Sendable func upload(req: Request) async throws -> Response {
        let bearer = req.headers.bearerAuthorization?.token ?? ""
        guard let sensor = try await SensorHub.sensor(token: bearer, on: req.db) else {
            if req.auth.has(Principal.self) { throw ConcordError(.forbidden, "uploads take a sensor token") }
            throw ConcordError(.unauthenticated, "a sensor token is required")
        }
        let body: SensorUploadPayload
        do {
            body = try req.content.decode(SensorUploadPayload.self)
        } catch {
            throw ConcordError.invalid(field: "body", "not an upload of hourly aggregates: \(error)")
        }
        let receipt = try await SensorHub.receive(body, from: sensor, at: req.application.clock.now(), on: req.db)
        return try await receipt.encodeResponse(status: receipt.duplicate ? .ok : .created, for: req)
    }
}

/// A new sensor.
struct SensorInput: Content {
    let name: String
    let prefix: String
    let location: String?
}

/// A sensor as its team sees it; `token` only in the answer that created it.
struct SensorDTO: Content {
    let id: UUID
    let name: String
    let prefix: String
    let location: String
    let createdAt: Date
    let lastUploadAt: Date?
    /// Hours the hub holds from this sensor, and their packets (in the list only).
    var hoursStored: Int?
    var packets: Int64?
    let token: String?

    init(_ sensor: Sensor, token: String?) {
        id = sensor.id ?? UUID()
        name = sensor.name
        prefix = sensor.prefix
        location = sensor.location
        createdAt = sensor.createdAt
        lastUploadAt = sensor.lastUploadAt
        self.token = token
    }
}
