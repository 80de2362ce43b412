import ConcordCore
import Fluent
import Foundation

/// The demo's sensor network: three teams' darknet sensors with five weeks of synthetic traffic up
/// to the last full hour, so that the dashboard has days to draw. Telnet, SMB, SSH, RDP, HTTP, DNS
/// and ICMP echo scanning follow a daily rhythm with some noise; in the latest band of hours the
/// surge monitor judges, a crowd of scanners turns to Redis (tcp/6379): the surge it reports when
/// the server starts. Only documentation ranges are used for the darknets.
enum DemoSensors {
    /// Team slug, sensor name, darknet, location.
    static let sensors = [
        ("jpcert-cc", "tokyo-1", "203.0.113.192/27", "Tokyo"),
        ("krcert-cc", "seoul-1", "203.0.113.224/28", "Seoul"),
        ("mycert", "cyberjaya-1", "203.0.113.240/28", "Cyberjaya"),
    ]

    /// Each service's usual scanners per hour (a pool, of which a varying share shows up).
    static let services: [(Service, Int)] = [
        (Service(ipProtocol: 6, port: 23), 60), (Service(ipProtocol: 6, port: 445), 30),
        (Service(ipProtocol: 6, port: 22), 25), (Service(ipProtocol: 6, port: 3389), 15),
        (Service(ipProtocol: 6, port: 80), 12), (Service(ipProtocol: 17, port: 53), 8),
        (Service(ipProtocol: 1, port: 8), 10), (Service(ipProtocol: 6, port: 6379), 3),
    ]

    static let days = 35

    /// Registers the sensors and stores their hours; returns each sensor's upload token.
    static func load(now: Date, scan: SurgeScan, on db: any Database) async throws -> [String: String] {
        let nowSecond = Int64(now.timeIntervalSince1970)
        let lastHour = HourlyAggregate.hour(of: nowSecond * 1_000_000_000) - 3600
        let first = lastHour - Int64(days * 24 - 1) * 3600
        let bandLength = Int64(scan.bandHours) * 3600
        let surgeBand = scan.bandStart(containing: nowSecond - SurgeMonitor.grace - bandLength)
        var tokens: [String: String] = [:]
        var rng = SplitMix64(seed: 2026)
        // Source economies from Debian's GeoIP data when it is installed, as a real sensor counts them.
        let countries = try? GeoIPCountries(directory: GeoIPCountryDatabase.debianDirectory)
        for (number, (slug, name, prefix, location)) in sensors.enumerated() {
            guard let team = try await Team.query(on: db).filter(\.$slug == slug).first() else { continue }
            let token = TokenService.randomSecret(prefix: "sensor_")
            let sensor = Sensor()
            sensor.$team.id = try team.requireID()
            sensor.name = name
            sensor.prefix = prefix
            sensor.location = location
            sensor.tokenHash = TokenService.hash(token)
            sensor.createdAt = Date(timeIntervalSince1970: TimeInterval(first))
            try await sensor.create(on: db)
            tokens[name] = token
            var hours: [HourlyAggregate] = []
            for hour in stride(from: first, through: lastHour, by: 3600) {
                // Scanning is busier in the Asian afternoon and evening (UTC 06-15) and on weekdays.
                let clock = Double((hour % 86_400) / 3600)
                let rhythm = 0.75 + 0.35 * sin((clock - 4) / 24 * 2 * Double.pi)
                var scanners: [Service: Range<Int>] = [:]
                for (index, (service, pool)) in services.enumerated() {
                    let noise = 0.85 + Double(rng.next() % 300) / 1000
                    let count = max(1, Int(Double(pool) * rhythm * noise))
                    let base = 10_000 * (index + 1) + number * (pool / 3)
                    scanners[service] = base..<(base + count)
                }
                if (surgeBand..<(surgeBand + bandLength)).contains(hour) {
                    let redis = Service(ipProtocol: 6, port: 6379)
                    scanners[redis] = 90_000..<(90_000 + 140 + 20 * number)
                }
                hours.append(
                    SyntheticScanning.hour(hour, scanners: scanners, packetsPerScanner: 2, countries: countries))
            }
            for part in stride(from: 0, to: hours.count, by: SensorHub.maximumHours) {
                let slice = Array(hours[part..<min(part + SensorHub.maximumHours, hours.count)])
                _ = try await SensorHub.receive(
                    SensorUploadPayload(id: UUID(), hours: slice), from: sensor, at: now, on: db)
            }
        }
        return tokens
    }
}
