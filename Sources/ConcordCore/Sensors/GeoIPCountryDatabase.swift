import Foundation

/// IP address to country, from the legacy MaxMind GeoIP country databases that Debian ships in
/// `geoip-database` (`/usr/share/GeoIP/GeoIP.dat` for IPv4, `GeoIPv6.dat` for IPv6: MaxMind's legacy GeoLite
/// country data of 2019 under MaxMind's open data licence, credited in the README). A real, packaged
/// data set, old but installable everywhere the tests run; a sensor's source economy is a statistic,
/// and a few moved prefixes do not change it.
///
/// The format is a binary trie of 3-byte little-endian records, one left and one right per node; a
/// record at or above 16,776,960 is a leaf holding a country index. Hand-written (no mirrored package
/// reads it; libGeoIP would be a C dependency for 40 lines); tested against Debian's `geoiplookup` on
/// random addresses.
public struct GeoIPCountryDatabase: Sendable {
    /// Where Debian puts the databases.
    public static let debianDirectory = "/usr/share/GeoIP"

    private let bytes: [UInt8]
    private let depth: Int
    static let countryBegin = 16_776_960

    /// Opens one database file; `family` says whether it is the IPv4 or the IPv6 edition.
    public init(path: String, family: IPAddress.Family) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CaptureFileError(offset: 0, reason: "cannot read the GeoIP database \(path)")
        }
        bytes = [UInt8](data)
        depth = family == .v4 ? 32 : 128
        // The structure info: three 0xFF bytes and the edition, within the last 20 bytes.
        let edition = family == .v4 ? 1 : 12
        let tail = bytes.suffix(20)
        let found = tail.indices.dropLast(3).contains { index in
            bytes[index] == 0xFF && bytes[index + 1] == 0xFF && bytes[index + 2] == 0xFF
                && Int(bytes[index + 3]) == edition
        }
        guard found else {
            throw CaptureFileError(offset: 0, reason: "\(path) is not a GeoIP country database of that family")
        }
    }

    /// The ISO 3166 code of the country the address is registered in, or nil when the database
    /// has none (also for addresses of the other family).
    public func country(of address: IPAddress) -> String? {
        let found = countryIndex(of: address)
        return found.index > 0 ? Self.codes[found.index] : nil
    }

    /// The country's index in `codes` (0: none) and the length of the prefix the database gives it
    /// for: every address of that prefix has the same country. No strings, for the capture reader.
    func countryIndex(of address: IPAddress) -> (index: Int, prefixLength: Int) {
        guard (address.family == .v4) == (depth == 32) else { return (0, 0) }
        var node = 0
        for bit in 0..<depth {
            let value = bit < 64 ? address.high >> UInt64(63 - bit) : address.low >> UInt64(127 - bit)
            let record = node * 6 + (value & 1 == 1 ? 3 : 0)
            guard record + 2 < bytes.count else { return (0, 0) }
            let next = Int(bytes[record]) | Int(bytes[record + 1]) << 8 | Int(bytes[record + 2]) << 16
            if next >= Self.countryBegin {
                let index = next - Self.countryBegin
                return (index > 0 && index < Self.codes.count ? index : 0, bit + 1)
            }
            node = next
        }
        return (0, 0)
    }

    /// The databases' country indexes, in their order (`GeoIP_country_code` of libGeoIP); 0 is
    /// "no country", AP and EU are regions, A1, A2 and O1 anonymous proxies, satellite and other.
    static let codes: [String] =
        ("-- AP EU AD AE AF AG AI AL AM CW AO AQ AR AS AT AU AW AZ BA BB BD BE BF BG BH BI BJ BM BN BO BR BS BT BV "
        + "BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI "
        + "FJ FK FM FO FR SX GA GB GD GE GF GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IN IO "
        + "IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD MG MH MK "
        + "ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL "
        + "PM PN PR PS PT PW PY QA RE RO RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR ST SV SY SZ TC TD TF TG "
        + "TH TJ TK TM TN TO TL TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT RS ZA ZM ME ZW A1 "
        + "A2 O1 AX GG IM JE BL MF BQ SS O1").split(separator: " ").map(String.init)
}

/// Both editions together: the country of any address.
public struct GeoIPCountries: Sendable {
    public let v4: GeoIPCountryDatabase
    public let v6: GeoIPCountryDatabase

    /// Opens Debian's two files in `directory`.
    public init(directory: String = GeoIPCountryDatabase.debianDirectory) throws {
        v4 = try GeoIPCountryDatabase(path: directory + "/GeoIP.dat", family: .v4)
        v6 = try GeoIPCountryDatabase(path: directory + "/GeoIPv6.dat", family: .v6)
    }

    public func country(of address: IPAddress) -> String? {
        address.family == .v4 ? v4.country(of: address) : v6.country(of: address)
    }

    /// The country's index in `GeoIPCountryDatabase.codes` (0: none) and the prefix length it holds for.
    func countryIndex(of address: IPAddress) -> (index: Int, prefixLength: Int) {
        address.family == .v4 ? v4.countryIndex(of: address) : v6.countryIndex(of: address)
    }
}
