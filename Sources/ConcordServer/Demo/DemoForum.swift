import Foundation

/// The demonstration forum: the 27 member teams of 18 economies listed in the APCERT seed
/// (September 2011), 19 full and 8 general, plus the partner category. Constituencies come ONLY
/// from documentation ranges (RFC 5737, RFC 3849, RFC 5398, RFC 6761 `.example`), so no real
/// network is ever attributed to a team.
enum DemoForum {
    /// One demo economy.
    struct EconomySeed {
        let name: String
        let iso: String
    }

    /// One demo team.
    struct TeamSeed {
        let slug: String
        let shortName: String
        let fullName: String
        let economyISO: String
        let category: String
        let timeZone: String
        /// Whether it is the economy's national team (national responsibility and the /27).
        let national: Bool
    }

    static let economies: [EconomySeed] = [
        .init(name: "Australia", iso: "AU"), .init(name: "Vietnam", iso: "VN"),
        .init(name: "Negara Brunei Darussalam", iso: "BN"), .init(name: "People's Republic of China", iso: "CN"),
        .init(name: "India", iso: "IN"), .init(name: "Hong Kong, China", iso: "HK"),
        .init(name: "Indonesia", iso: "ID"),
        .init(name: "Japan", iso: "JP"), .init(name: "Korea", iso: "KR"), .init(name: "Malaysia", iso: "MY"),
        .init(name: "Philippines", iso: "PH"), .init(name: "Singapore", iso: "SG"), .init(name: "Sri Lanka", iso: "LK"),
        .init(name: "Thailand", iso: "TH"), .init(name: "Chinese Taipei", iso: "TW"),
        .init(name: "Bangladesh", iso: "BD"),
        .init(name: "Macao, China", iso: "MO"), .init(name: "Mongolia", iso: "MN"),
    ]

    static let teams: [TeamSeed] = [
        .init(
            slug: "auscert", shortName: "AusCERT", fullName: "Australian Computer Emergency Response Team",
            economyISO: "AU", category: "full", timeZone: "Australia/Brisbane", national: false),
        .init(
            slug: "bkis", shortName: "BKIS", fullName: "Bach Khoa Internetwork Security Center", economyISO: "VN",
            category: "full", timeZone: "Asia/Ho_Chi_Minh", national: false),
        .init(
            slug: "brucert", shortName: "BruCERT", fullName: "Brunei Computer Emergency Response Team",
            economyISO: "BN", category: "full", timeZone: "Asia/Brunei", national: true),
        .init(
            slug: "ccert", shortName: "CCERT", fullName: "CERNET Computer Emergency Response Team", economyISO: "CN",
            category: "full", timeZone: "Asia/Shanghai", national: false),
        .init(
            slug: "cert-in", shortName: "CERT-In", fullName: "Indian Computer Emergency Response Team",
            economyISO: "IN", category: "full", timeZone: "Asia/Kolkata", national: true),
        .init(
            slug: "cncert-cc", shortName: "CNCERT/CC",
            fullName: "National Computer Network Emergency Response Technical Team/Coordination Center of China",
            economyISO: "CN", category: "full", timeZone: "Asia/Shanghai", national: true),
        .init(
            slug: "hkcert-cc", shortName: "HKCERT/CC",
            fullName: "Hong Kong Computer Emergency Response Team Coordination Centre", economyISO: "HK",
            category: "full", timeZone: "Asia/Hong_Kong", national: true),
        .init(
            slug: "idcert", shortName: "IDCERT", fullName: "Indonesia Computer Emergency Response Team",
            economyISO: "ID", category: "full", timeZone: "Asia/Jakarta", national: false),
        .init(
            slug: "id-sirtii", shortName: "ID-SIRTII",
            fullName: "Indonesia Security Incident Response Team on Internet Infrastructure", economyISO: "ID",
            category: "full", timeZone: "Asia/Jakarta", national: true),
        .init(
            slug: "jpcert-cc", shortName: "JPCERT/CC",
            fullName: "Japan Computer Emergency Response Team Coordination Center", economyISO: "JP", category: "full",
            timeZone: "Asia/Tokyo", national: true),
        .init(
            slug: "krcert-cc", shortName: "KrCERT/CC", fullName: "Korea Internet Security Center", economyISO: "KR",
            category: "full", timeZone: "Asia/Seoul", national: true),
        .init(
            slug: "mycert", shortName: "MyCERT", fullName: "Malaysian Computer Emergency Response Team",
            economyISO: "MY", category: "full", timeZone: "Asia/Kuala_Lumpur", national: true),
        .init(
            slug: "phcert", shortName: "PHCERT", fullName: "Philippine Computer Emergency Response Team",
            economyISO: "PH", category: "full", timeZone: "Asia/Manila", national: false),
        .init(
            slug: "singcert", shortName: "SingCERT", fullName: "Singapore Computer Emergency Response Team",
            economyISO: "SG", category: "full", timeZone: "Asia/Singapore", national: true),
        .init(
            slug: "slcert", shortName: "SLCERT", fullName: "Sri Lanka Computer Emergency Readiness Team",
            economyISO: "LK", category: "full", timeZone: "Asia/Colombo", national: true),
        .init(
            slug: "thaicert", shortName: "ThaiCERT", fullName: "Thailand Computer Emergency Response Team",
            economyISO: "TH", category: "full", timeZone: "Asia/Bangkok", national: true),
        .init(
            slug: "twcert-cc", shortName: "TWCERT/CC",
            fullName: "Taiwan Computer Emergency Response Team/Coordination Center", economyISO: "TW", category: "full",
            timeZone: "Asia/Taipei", national: false),
        .init(
            slug: "twncert", shortName: "TWNCERT", fullName: "Taiwan National Computer Emergency Response Team",
            economyISO: "TW", category: "full", timeZone: "Asia/Taipei", national: true),
        .init(
            slug: "vncert", shortName: "VNCERT", fullName: "Vietnam Computer Emergency Response Team", economyISO: "VN",
            category: "full", timeZone: "Asia/Ho_Chi_Minh", national: true),
        .init(
            slug: "bdcert", shortName: "BDCERT", fullName: "Bangladesh Computer Emergency Response Team",
            economyISO: "BD", category: "general", timeZone: "Asia/Dhaka", national: true),
        .init(
            slug: "bp-dsirt", shortName: "BP DSIRT", fullName: "BP Digital Security Incident Response Team",
            economyISO: "SG", category: "general", timeZone: "Asia/Singapore", national: false),
        .init(
            slug: "cert-australia", shortName: "CERT Australia", fullName: "CERT Australia", economyISO: "AU",
            category: "general", timeZone: "Australia/Sydney", national: true),
        .init(
            slug: "gcsirt", shortName: "GCSIRT", fullName: "Government Computer Security and Incident Response Team",
            economyISO: "PH", category: "general", timeZone: "Asia/Manila", national: true),
        .init(
            slug: "mocert", shortName: "MOCERT", fullName: "Macau Computer Emergency Response Team Coordination Centre",
            economyISO: "MO", category: "general", timeZone: "Asia/Macau", national: true),
        .init(
            slug: "moncirt", shortName: "MonCIRT", fullName: "Mongolian Cyber Incident Response Team", economyISO: "MN",
            category: "general", timeZone: "Asia/Ulaanbaatar", national: true),
        .init(
            slug: "nuscert", shortName: "NUSCERT",
            fullName: "National University of Singapore Computer Emergency Response Team", economyISO: "SG",
            category: "general", timeZone: "Asia/Singapore", national: false),
        .init(
            slug: "techcert", shortName: "TechCERT", fullName: "TechCERT", economyISO: "LK", category: "general",
            timeZone: "Asia/Colombo", national: false),
    ]

    /// The chair and secretariat in the seed.
    static let secretariatSlug = "jpcert-cc"
    /// The team whose OpenPGP key is deliberately expired.
    static let expiredKeySlug = "moncirt"
    /// The contact address that deliberately never answers (for communication checks).
    static let silentContact = "duty-desk@mocert.mo.example"

    /// The three IPv4 documentation /24s, cut into /27s: the national team of economy `n` gets block `n`.
    static func nationalIPv4Block(_ index: Int) -> String {
        let bases = ["192.0.2", "198.51.100", "203.0.113"]
        return "\(bases[index / 8]).\((index % 8) * 32)/27"
    }

    /// 2001:db8::/32 cut into /40s: economy `n` gets `2001:db8:nn00::/40`.
    static func nationalIPv6Block(_ index: Int) -> String {
        "2001:db8:\(String(format: "%x", (index + 1) * 256))::/40"
    }
}
