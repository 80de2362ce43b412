/// A team's own incident categories mapped once to RSIT taxonomies, the reporting taxonomy: its
/// figures then count by RSIT like every other team's. A category the mapping does not name counts
/// as `other`, and a table where `other` passes a tenth of the incidents is flagged.
public struct CategoryMapping: Equatable, Sendable, Codable {
    /// The RSIT taxonomies a table counts by (`RSITClassification.taxonomies`, `test` left out:
    /// test traffic never enters incident figures).
    public static let reportingCategories = RSITClassification.taxonomies.map(\.taxonomy).filter { $0 != "test" }
    /// The share of `other` above which a team's figures are flagged, in per cent.
    public static let otherWarningPercent = 10

    /// Own category → RSIT taxonomy.
    public private(set) var targets: [String: String]

    public init() { targets = [:] }

    /// Each pair checked: the target must be an RSIT taxonomy (or `taxonomy/type`, kept as its
    /// taxonomy). Throws naming the first own category whose target is none.
    public init(_ pairs: [String: String]) throws(MappingRefusal) {
        targets = [:]
        for (own, target) in pairs.sorted(by: { $0.key < $1.key }) {
            let taxonomy = String(target.split(separator: "/").first ?? "")
            guard Self.reportingCategories.contains(taxonomy), RSITClassification.names(target) else {
                throw MappingRefusal(category: own, target: target)
            }
            targets[own] = taxonomy
        }
    }

    /// The RSIT taxonomy `category` counts as: itself when it is one, its mapping, else `other`.
    public func taxonomy(of category: String) -> String {
        if Self.reportingCategories.contains(category) { return category }
        let prefix = String(category.split(separator: "/").first ?? "")
        if RSITClassification.names(category), Self.reportingCategories.contains(prefix) { return prefix }
        return targets[category] ?? "other"
    }

    /// A table in a team's own categories, counted again by RSIT taxonomy (all of them, in RSIT's
    /// order, zeros included).
    public func mapped(_ table: CountTable) -> CountTable {
        var counts = Dictionary(
            uniqueKeysWithValues: Self.reportingCategories.map { ($0, Array(repeating: 0, count: 12)) })
        for (category, months) in zip(table.categories, table.counts) {
            let target = taxonomy(of: category)
            for (index, value) in months.enumerated() { counts[target]?[index] += value }
        }
        return CountTable(
            categories: Self.reportingCategories, counts: Self.reportingCategories.map { counts[$0] ?? [] })
    }

    /// Whether `other` passes a tenth of the table (mapped by RSIT), so the report warns.
    public static func otherIsTooLarge(in table: CountTable) -> Bool {
        let other = table.total(of: "other")
        return table.total > 0 && other * 100 > table.total * otherWarningPercent
    }
}

/// A mapping to something that is no RSIT taxonomy.
public struct MappingRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public let category: String
    public let target: String

    public init(category: String, target: String) {
        self.category = category
        self.target = target
    }

    public var description: String { "'\(category)' maps to '\(target)', which is no RSIT taxonomy" }
}
