import ArgumentParser
import ConcordCore
import Foundation

/// `concord sensor run`: the agent. Reads captures, aggregates them per hour, writes each upload
/// to a buffer directory first (with an id chosen once), then sends every buffered upload to the
/// hub and deletes it when the hub has it. A hub that cannot be reached leaves the uploads in the
/// buffer for the next run; since the id travels with the upload, nothing is counted twice.
struct SensorRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Aggregate captures per hour and upload them to the hub (buffered on disk).")

    @Option(name: .customLong("read"), parsing: .upToNextOption, help: "pcap or pcapng files.")
    var files: [String] = []
    @Option(help: "The hub's address, e.g. https://concord.example.") var upload: String
    @Option(help: "The sensor's token (default: $CONCORD_SENSOR_TOKEN).") var token: String?
    @Option(help: "Where uploads wait for the hub (default: ~/.cache/concord-sensor).") var buffer: String?
    @Flag(help: "Count sources by their /24 or /48 only; no single address leaves the sensor.") var anonymize = false
    @Option(help: "Directory of the GeoIP country databases.") var geoip = GeoIPCountryDatabase.debianDirectory

    /// Hours per upload (a month), well under the hub's limit.
    static let hoursPerUpload = 744

    func run() async throws {
        guard let token = token ?? ProcessInfo.processInfo.environment["CONCORD_SENSOR_TOKEN"], !token.isEmpty else {
            throw ValidationError(
                "give --token or set CONCORD_SENSOR_TOKEN (the token shown when the sensor was registered)")
        }
        let directory = buffer ?? (NSHomeDirectory() + "/.cache/concord-sensor")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if !files.isEmpty { try aggregate(into: directory) }
        let base = upload.hasSuffix("/") ? String(upload.dropLast()) : upload
        try await flush(directory, client: APIClient(base: base, token: token))
    }

    /// Reads the captures and buffers their hours as uploads.
    private func aggregate(into directory: String) throws {
        let countries = try? GeoIPCountries(directory: geoip)
        var aggregate = SensorAggregate()
        for file in files {
            do {
                try CaptureReader.read(path: file) { aggregate.add($0, countries: countries, anonymize: anonymize) }
            } catch {
                // What was read before the damage is kept; the file is named on stderr.
                FileHandle.standardError.write(Data("error: \(file): \(error)\n".utf8))
            }
        }
        let hours = aggregate.hours.values.sorted { $0.hour < $1.hour }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for start in stride(from: 0, to: hours.count, by: Self.hoursPerUpload) {
            let upload = SensorUploadPayload(
                id: UUID(), hours: Array(hours[start..<min(start + Self.hoursPerUpload, hours.count)]))
            let path = directory + "/\(upload.id.uuidString).json"
            try encoder.encode(upload).write(to: URL(fileURLWithPath: path + ".part"))
            try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
        }
        print(
            "\(files.count) files: \(hours.map(\.total.packets).reduce(0, +)) packets in \(hours.count) hours, "
                + "\(aggregate.skipped) frames not counted")
    }

    /// Sends every buffered upload, oldest first; stops at the first that does not go.
    private func flush(_ directory: String, client: APIClient) async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }
        let paths = try names.map { directory + "/" + $0 }.sorted {
            try Self.modified($0) < Self.modified($1)
        }
        var sent = 0
        var repeats = 0
        for path in paths {
            let upload = try JSONDecoder().decode(
                SensorUploadPayload.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            do {
                let receipt = try await client.post("/sensor-uploads", upload, as: UploadReceipt.self)
                if receipt.duplicate { repeats += 1 } else { sent += 1 }
                try FileManager.default.removeItem(atPath: path)
            } catch let refused as APIClient.Refused {
                let kept = paths.count - sent - repeats
                let message = "error: the hub refused \(upload.id): \(refused); \(kept) uploads kept in \(directory)\n"
                FileHandle.standardError.write(Data(message.utf8))
                throw ExitCode(1)
            } catch {
                let kept = paths.count - sent - repeats
                let message = "error: hub unreachable (\(error)); \(kept) uploads kept in \(directory)\n"
                FileHandle.standardError.write(Data(message.utf8))
                throw ExitCode(1)
            }
        }
        print("uploaded \(sent), already at the hub \(repeats), waiting 0")
    }

    private static func modified(_ path: String) throws -> Date {
        try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date ?? .distantPast
    }
}

/// The hub's receipt.
struct UploadReceipt: Decodable {
    let id: UUID
    let hours: Int
    let duplicate: Bool
}
