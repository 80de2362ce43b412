import ConcordCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Live capture through the system's libpcap (Debian: `libpcap0.8`, with `libpcap-dev` for the
/// unversioned name), opened at run time with `dlopen` so that building Concord and reading files
/// never need it. Frames go to the same decoder as files, with nanosecond timestamps.
// @unchecked Sendable: `stop()` is called from a signal or timer queue while `run` reads; libpcap's
// pcap_breakloop is made for that (it sets a flag and wakes the read through an eventfd).
final class LiveCapture: @unchecked Sendable {
    /// What went wrong opening or reading the interface, in libpcap's words.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The libpcap functions used, looked up once.
    private struct Library {
        typealias Create = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<CChar>?) -> OpaquePointer?
        typealias SetInt = @convention(c) (OpaquePointer?, Int32) -> Int32
        typealias Activate = @convention(c) (OpaquePointer?) -> Int32
        typealias NextEx =
            @convention(c) (
                OpaquePointer?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                UnsafeMutablePointer<UnsafePointer<UInt8>?>?
            ) -> Int32
        typealias GetError = @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?
        typealias Close = @convention(c) (OpaquePointer?) -> Void

        let create: Create
        let setSnaplen: SetInt
        let setPromisc: SetInt
        let setTimeout: SetInt
        let setImmediate: SetInt
        let setPrecision: SetInt
        let activate: Activate
        let datalink: Activate
        let nextEx: NextEx
        let getError: GetError
        let breakLoop: Close
        let close: Close

        static func load() throws -> Library {
            let names = ["libpcap.so", "libpcap.so.1", "libpcap.so.0.8"]
            guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW) }).first else {
                throw Failure(description: "live capture needs libpcap (Debian: apt install libpcap0.8)")
            }
            func symbol<T>(_ name: String, as type: T.Type) throws -> T {
                guard let pointer = dlsym(handle, name) else { throw Failure(description: "libpcap lacks \(name)") }
                return unsafeBitCast(pointer, to: type)
            }
            return Library(
                create: try symbol("pcap_create", as: Create.self),
                setSnaplen: try symbol("pcap_set_snaplen", as: SetInt.self),
                setPromisc: try symbol("pcap_set_promisc", as: SetInt.self),
                setTimeout: try symbol("pcap_set_timeout", as: SetInt.self),
                setImmediate: try symbol("pcap_set_immediate_mode", as: SetInt.self),
                setPrecision: try symbol("pcap_set_tstamp_precision", as: SetInt.self),
                activate: try symbol("pcap_activate", as: Activate.self),
                datalink: try symbol("pcap_datalink", as: Activate.self),
                nextEx: try symbol("pcap_next_ex", as: NextEx.self),
                getError: try symbol("pcap_geterr", as: GetError.self),
                breakLoop: try symbol("pcap_breakloop", as: Close.self),
                close: try symbol("pcap_close", as: Close.self))
        }
    }

    /// `struct pcap_pkthdr` on LP64: a `timeval` (nanoseconds in `tv_usec` with nanosecond
    /// precision), the captured length and the length on the wire.
    private struct PacketHeader {
        var seconds: Int
        var fraction: Int
        var capturedLength: UInt32
        var length: UInt32
    }

    private let library: Library
    private let handle: OpaquePointer
    let linkType: LinkType
    /// Whether timestamps come in nanoseconds (else microseconds).
    private let nanoseconds: Bool

    /// Opens `interface` (promiscuous, 256-byte snapshots: headers are all a darknet sensor needs).
    init(interface: String, snapshotLength: Int32 = 256) throws {
        library = try Library.load()
        var error = [CChar](repeating: 0, count: 512)
        guard let handle = library.create(interface, &error) else {
            let message = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw Failure(description: "\(interface): \(message)")
        }
        _ = library.setSnaplen(handle, snapshotLength)
        _ = library.setPromisc(handle, 1)
        _ = library.setTimeout(handle, 500)
        _ = library.setImmediate(handle, 1)
        nanoseconds = library.setPrecision(handle, 1) == 0  // PCAP_TSTAMP_PRECISION_NANO
        let status = library.activate(handle)
        if status < 0 {
            let message = library.getError(handle).map { String(cString: $0) } ?? "error \(status)"
            library.close(handle)
            throw Failure(description: "\(interface): \(message)")
        }
        self.handle = handle
        let link = UInt32(bitPattern: library.datalink(handle))
        linkType = LinkType(rawValue: link == 12 || link == 14 ? 101 : link)  // DLT_RAW is LINKTYPE_RAW (101)
    }

    deinit { library.close(handle) }

    /// Delivers frames until `stop()` is called, or `shouldStop` says so (checked after each frame
    /// and each read timeout).
    func run(shouldStop: () -> Bool, frame: (CaptureFrame) -> Void) throws {
        var header: UnsafeMutableRawPointer?
        var data: UnsafePointer<UInt8>?
        while !shouldStop() {
            let status = library.nextEx(handle, &header, &data)
            switch status {
            case 1:
                guard let header, let data else { continue }
                let fields = header.load(as: PacketHeader.self)
                let fraction = Int64(fields.fraction) * (nanoseconds ? 1 : 1000)
                frame(
                    CaptureFrame(
                        timestamp: Int64(fields.seconds) * 1_000_000_000 + fraction, linkType: linkType,
                        originalLength: Int(fields.length),
                        bytes: UnsafeRawBufferPointer(start: data, count: Int(fields.capturedLength))))
            case 0:
                continue  // the read timed out: look at shouldStop again
            case -2:
                return  // pcap_breakloop
            default:
                let message = library.getError(handle).map { String(cString: $0) } ?? "error \(status)"
                throw Failure(description: message)
            }
        }
    }

    /// Makes `run` return (from another thread or a signal handler's queue).
    func stop() { library.breakLoop(handle) }
}
