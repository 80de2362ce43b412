import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The hub: a team registers a sensor (its token shown once, stored hashed); the sensor uploads
/// hourly aggregates; a repeated upload id changes nothing; hours uploaded in parts merge to the
/// aggregate of all their packets; bad tokens and bad bodies are refused without a trace.
@Suite struct SensorHubTests {
    static func hours(_ packets: [PacketSummary]) -> [HourlyAggregate] {
        var hours: [Int64: HourlyAggregate] = [:]
        for packet in packets {
            let hour = HourlyAggregate.hour(of: packet.timestamp)
            hours[hour, default: HourlyAggregate(hour: hour)].add(packet)
        }
        return hours.values.sorted { $0.hour < $1.hour }
    }

    static func packets(_ count: Int, offset: Int) -> [PacketSummary] {
        (0..<count).map { index in
            PacketSummary(
                timestamp: (1_795_341_600 + Int64((index + offset) % 7200)) * 1_000_000_000,
                source: IPAddress(v4: 0xC633_6400 | UInt32((index + offset) % 90)),
                destination: IPAddress("203.0.113.9")!, ipProtocol: 6, sourcePort: 50000,
                destinationPort: [23, 445][index % 2], tcpFlags: 2, length: 60)
        }
    }

    @Test func uploadsAreTakenOnceAndMergeByHour() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let created = try await app.testing().send(
                .POST, "/api/v1/teams/singcert/sensors", headers: forum.headers(.teamAdmin),
                body: ByteBuffer(string: #"{"name":"tokyo-1","prefix":"203.0.113.0/24","location":"Tokyo"}"#),
                contentType: .json)
            let sensor = try created.content.decode(SensorDTO.self)
            let token = try #require(sensor.token)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            let first = Self.packets(500, offset: 0)
            let second = Self.packets(700, offset: 3000)
            func upload(_ id: UUID, _ packets: [PacketSummary], headers: HTTPHeaders) async throws
                -> TestingHTTPResponse
            {
                let body = try JSONEncoder().encode(SensorUploadPayload(id: id, hours: Self.hours(packets)))
                return try await app.testing().send(
                    .POST, "/api/v1/sensor-uploads", headers: headers, body: ByteBuffer(data: body), contentType: .json)
            }
            // act
            let firstID = UUID()
            let one = try await upload(firstID, first, headers: headers)
            let again = try await upload(firstID, first, headers: headers)
            let two = try await upload(UUID(), second, headers: headers)
            var wrong = HTTPHeaders()
            wrong.bearerAuthorization = BearerAuthorization(token: "sensor_nope")
            let stranger = try await upload(UUID(), first, headers: wrong)
            let user = try await upload(UUID(), first, headers: forum.headers(.secretariat))
            let garbage = try await app.testing().send(
                .POST, "/api/v1/sensor-uploads", headers: headers, body: ByteBuffer(string: #"{"id":"x"}"#),
                contentType: .json)
            let listed = try await app.testing().send(
                .GET, "/api/v1/teams/singcert/sensors", headers: forum.headers(.handler)
            ).content.decode([SensorDTO].self)
            // validate
            #expect(created.status == .created && token.hasPrefix("sensor_"))
            #expect(one.status == .created && again.status == .ok)
            #expect(try again.content.decode(SensorUploadReceipt.self).duplicate)
            #expect(two.status == .created)
            #expect(stranger.status == .unauthorized && user.status == .forbidden)
            #expect(garbage.status == .unprocessableEntity)
            #expect(
                listed.map(\.name) == ["tokyo-1"] && listed.first?.token == nil && listed.first?.lastUploadAt != nil)
            let stored = try await SensorHour.query(on: app.db).sort(\.$hour).all()
            let expected = Self.hours(first + second)
            #expect(stored.map(\.hour) == expected.map(\.hour))
            for (row, aggregate) in zip(stored, expected) {
                let decoded = try JSONDecoder().decode(HourlyAggregate.self, from: Data(row.aggregate.utf8))
                #expect(decoded == aggregate ? true : false, "hour \(row.hour) merged from two uploads")
                #expect(row.packets == Int64(aggregate.total.packets))
            }
            #expect(listed.first?.hoursStored == expected.count)
            #expect(listed.first?.packets == Int64(first.count + second.count), "the list sums every stored hour")
            #expect(try await SensorUpload.query(on: app.db).count() == 2)
            let hashes = try await Sensor.query(on: app.db).all().map(\.tokenHash)
            #expect(hashes == [TokenService.hash(token)] && !hashes.contains(token), "only the hash is stored")
        }
    }

    @Test func registrationIsValidated() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let bad = try await app.testing().send(
                .POST, "/api/v1/teams/singcert/sensors", headers: forum.headers(.teamAdmin),
                body: ByteBuffer(string: #"{"name":"","prefix":"not a prefix"}"#), contentType: .json)
            let problem = bad.body.string
            #expect(bad.status == .unprocessableEntity)
            #expect(problem.contains("\"prefix\"") && problem.contains("\"name\""), "each field named: \(problem)")
            #expect(try await Sensor.query(on: app.db).count() == 0)
        }
    }

    @Test func aDarknetIsNeitherTheWholeSpaceNorAnotherSensorsRange() async throws {
        try await withApp(sqliteFile: true) { app in
            let forum = try await TestForum.seed(app)
            func register(_ name: String, _ prefix: String, as actor: Actor = .teamAdmin) async throws
                -> TestingHTTPResponse
            {
                try await app.testing().send(
                    .POST, "/api/v1/teams/singcert/sensors", headers: forum.headers(actor),
                    body: ByteBuffer(string: #"{"name":"\#(name)","prefix":"\#(prefix)"}"#), contentType: .json)
            }
            let everything = try await register("all", "0.0.0.0/0")
            let huge = try await register("v6", "2000::/3")
            let first = try await register("tokyo", "203.0.113.0/25")
            let inside = try await register("inside", "203.0.113.64/26")
            let around = try await register("around", "203.0.112.0/23")
            let beside = try await register("beside", "203.0.113.128/25")
            // two at once claiming one range: one of them gets it
            async let a = register("race-a", "198.18.0.0/24")
            async let b = register("race-b", "198.18.0.0/25", as: .secretariat)
            let race = try await [a.status, b.status]
            #expect(everything.status == .unprocessableEntity && everything.body.string.contains(#"at most a \/8"#))
            #expect(huge.status == .unprocessableEntity && huge.body.string.contains(#"at most a \/32"#))
            #expect(first.status == .created && beside.status == .created)
            #expect(inside.status == .unprocessableEntity && inside.body.string.contains(#"overlaps 203.0.113.0\/25"#))
            #expect(around.status == .unprocessableEntity)
            #expect(race.sorted { $0.code < $1.code } == [.created, .unprocessableEntity], "\(race)")
            #expect(try await Sensor.query(on: app.db).count() == 3)
        }
    }
}
