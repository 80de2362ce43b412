/// Darknet traffic made to order, as hourly aggregates: for each service, which scanners (by index)
/// knock in an hour. Scanner `n` is always the same address, so a scanner that comes back every
/// day is one source across days, as on a real darknet. Used by the tests of surge detection, the
/// demo forum's sensors and benchmarks.
public enum SyntheticScanning {
    /// The address of scanner `index`: spread over the IPv4 space by a fixed mix, never in
    /// 0.0.0.0/8, 10/8, 127/8 or the multicast and reserved space (224/3).
    public static func scanner(_ index: Int) -> IPAddress {
        var mixed = UInt64(truncatingIfNeeded: index) &+ 0x5EED
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        var value = UInt32(truncatingIfNeeded: mixed ^ (mixed >> 31))
        let first = value >> 24
        if first == 0 || first == 10 || first == 127 || first >= 224 { value = (value & 0x00FF_FFFF) | (100 << 24) }
        return IPAddress(v4: value)
    }

    /// One hour's aggregate: scanners `scanners[service]` each send `packetsPerScanner` TCP SYNs
    /// (UDP datagrams, ICMP messages) to `target`, spread over the hour.
    public static func hour(
        _ hour: Int64, scanners: [Service: Range<Int>], packetsPerScanner: Int = 2,
        target: IPAddress = IPAddress(v4: 0xCB00_7100), countries: GeoIPCountries? = nil
    ) -> HourlyAggregate {
        var aggregate = HourlyAggregate(hour: hour)
        for (service, indices) in scanners.sorted(by: { $0.key < $1.key }) {
            for index in indices {
                for repeat_ in 0..<packetsPerScanner {
                    let second = hour + Int64((index &* 7 &+ repeat_ &* 613) % 3600)
                    aggregate.add(
                        PacketSummary(
                            timestamp: second * 1_000_000_000, source: scanner(index), destination: target,
                            ipProtocol: service.ipProtocol, sourcePort: UInt16(40_000 + index % 20_000),
                            destinationPort: service.port, tcpFlags: service.ipProtocol == 6 ? 0x02 : 0,
                            length: 60),
                        countries: countries)
                }
            }
        }
        return aggregate
    }
}
