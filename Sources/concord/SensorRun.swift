import ArgumentParser
import ConcordCore
import Foundation

/// `concord sensor run`: the agent. Reads captures (files, or an interface live through libpcap),
/// aggregates them per hour, writes each upload to a buffer directory first (with an id chosen
/// once), then sends every buffered upload to the hub and deletes it when the hub has it. A hub
/// that cannot be reached leaves the uploads in the buffer for the next try; since the id travels
/// with the upload, nothing is counted twice. Live, the agent seals what it has counted every
/// `--upload-every` seconds (the hub merges the parts of an hour) and once more when stopped
/// (SIGINT, SIGTERM).
struct SensorRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Aggregate captures per hour and upload them to the hub (buffered on disk).")

    @Option(name: .customLong("read"), parsing: .upToNextOption, help: "pcap or pcapng files.")
    var files: [String] = []
    @Option(help: "Capture live on this interface (libpcap; needs root or CAP_NET_RAW).") var interface: String?
    @Option(name: .customLong("upload-every"), help: "Live: seconds between uploads.") var uploadEvery = 300
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
        // Neither: only send what the buffer holds.
        guard files.isEmpty || interface == nil else {
            throw ValidationError("give --read FILE… or --interface IF, not both")
        }
        guard uploadEvery > 0 else { throw ValidationError("--upload-every takes a number of seconds above 0") }
        let directory = buffer ?? (NSHomeDirectory() + "/.cache/concord-sensor")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = upload.hasSuffix("/") ? String(upload.dropLast()) : upload
        let client = APIClient(base: base, token: token)
        if let interface {
            try await capture(interface, into: directory, client: client)
            return
        }
        try aggregate(into: directory)
        if let failure = await flush(directory, client: client) {
            FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Captures until SIGINT or SIGTERM, sealing and uploading every `uploadEvery` seconds; a hub
    /// that cannot be reached is told on stderr and tried again at the next upload.
    private func capture(_ interface: String, into directory: String, client: APIClient) async throws {
        let live: LiveCapture
        do {
            live = try LiveCapture(interface: interface)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let stop = StopRequest()
        let signals = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                stop.request()
                live.stop()  // wakes a read that waits for packets (libpcap 1.10)
            }
            source.resume()
            return source
        }
        defer {
            for source in signals { source.cancel() }
        }
        let countries = try? GeoIPCountries(directory: geoip)
        Self.say("capturing on \(interface) (\(live.linkType)), uploading every \(uploadEvery) s")
        while true {
            var aggregate = SensorAggregate()
            // The read may wait for packets as long as none come: a timer breaks it at upload time.
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + .seconds(uploadEvery))
            timer.setEventHandler { live.stop() }
            timer.resume()
            try live.run(
                shouldStop: { stop.isRequested },
                frame: { aggregate.add($0, countries: countries, anonymize: anonymize) })
            timer.cancel()
            try buffer(aggregate.hours.values.sorted { $0.hour < $1.hour }, into: directory)
            if let failure = await flush(directory, client: client) {
                FileHandle.standardError.write(Data("warning: \(failure)\n".utf8))
            }
            if stop.isRequested { return }
        }
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
        try buffer(hours, into: directory)
        print(
            "\(files.count) files: \(hours.map(\.total.packets).reduce(0, +)) packets in \(hours.count) hours, "
                + "\(aggregate.skipped) frames not counted")
    }

    /// The largest upload the agent writes, below the hub's limit (`SensorController.uploadLimit`,
    /// 32 MiB): exact counts of up to 65,536 sources make a busy hour weigh megabytes.
    static let bytesPerUpload = 24 << 20

    /// Writes the hours as uploads of at most `hoursPerUpload` hours and `bytesPerUpload` bytes
    /// (an hour bigger than that alone goes alone), each under a fresh id.
    private func buffer(_ hours: [HourlyAggregate], into directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var groups: [[HourlyAggregate]] = []
        var bytes = 0
        for hour in hours {
            let size = try encoder.encode(hour).count
            if groups.isEmpty || groups[groups.count - 1].count == Self.hoursPerUpload
                || bytes + size > Self.bytesPerUpload
            {
                groups.append([])
                bytes = 0
            }
            groups[groups.count - 1].append(hour)
            bytes += size
        }
        for group in groups {
            let upload = SensorUploadPayload(id: UUID(), hours: group)
            let path = directory + "/\(upload.id.uuidString).json"
            try encoder.encode(upload).write(to: URL(fileURLWithPath: path + ".part"))
            try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
        }
    }

    /// Sends every buffered upload, oldest first; stops at the first that does not go and says why.
    private func flush(_ directory: String, client: APIClient) async -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let paths = names.filter { $0.hasSuffix(".json") }.map { directory + "/" + $0 }.sorted {
            Self.modified($0) < Self.modified($1)
        }
        var sent = 0
        var repeats = 0
        for path in paths {
            let kept = paths.count - sent - repeats
            guard let data = FileManager.default.contents(atPath: path),
                let upload = try? JSONDecoder().decode(SensorUploadPayload.self, from: data)
            else { return "\(path) is not an upload; \(kept) uploads kept in \(directory)" }
            do {
                let receipt = try await client.post("/sensor-uploads", upload, as: UploadReceipt.self)
                if receipt.duplicate { repeats += 1 } else { sent += 1 }
                try FileManager.default.removeItem(atPath: path)
            } catch let refused as APIClient.Refused {
                return "the hub refused \(upload.id): \(refused); \(kept) uploads kept in \(directory)"
            } catch {
                return "hub unreachable (\(error)); \(kept) uploads kept in \(directory)"
            }
        }
        Self.say("uploaded \(sent), already at the hub \(repeats), waiting 0")
        return nil
    }

    /// A line on stdout, unbuffered: a supervisor reading a pipe sees it at once.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private static func modified(_ path: String) -> Date {
        (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
    }
}

/// A stop asked for by a signal, read by the capture loop.
final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    func request() { lock.withLock { requested = true } }
    var isRequested: Bool { lock.withLock { requested } }
}

/// The hub's receipt.
struct UploadReceipt: Decodable {
    let id: UUID
    let hours: Int
    let duplicate: Bool
}
