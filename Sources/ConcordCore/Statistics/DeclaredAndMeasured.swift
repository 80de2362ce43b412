/// A team's declared figures beside the ones Concord measured from its own records, category by
/// category (RSIT taxonomies), never mixed: each row keeps both and says how they differ.
public struct DeclaredAndMeasured: Equatable, Sendable, Codable {
    /// How a declared figure stands to the measured one.
    public enum Difference: String, Equatable, Sendable, Codable {
        case same
        /// The team counted more than passed through Concord: usual, since a national team
        /// handles most of its cases at home.
        case declaredMore = "declared-more"
        /// Concord recorded more than the team declared: worth a question before the report.
        case measuredMore = "measured-more"
    }

    /// One category.
    public struct Row: Equatable, Sendable, Codable {
        public let category: String
        public let declared: Int
        public let measured: Int
        /// declared − measured.
        public let difference: Int
        public let flag: Difference

        public init(category: String, declared: Int, measured: Int) {
            self.category = category
            self.declared = declared
            self.measured = measured
            difference = declared - measured
            flag = declared == measured ? .same : declared > measured ? .declaredMore : .measuredMore
        }
    }

    public let rows: [Row]
    public let total: Row

    /// `declared` (already mapped to RSIT) beside `measured` (incidents by RSIT taxonomy); every
    /// category either names is listed, in `declared`'s order, then the measured-only ones.
    public init(declared: CountTable, measured: [String: Int]) {
        var categories = declared.categories
        categories += measured.keys.sorted().filter { !categories.contains($0) }
        rows = categories.map { Row(category: $0, declared: declared.total(of: $0), measured: measured[$0] ?? 0) }
        total = Row(category: "total", declared: declared.total, measured: measured.values.reduce(0, +))
    }

    /// Rows whose figures differ.
    public var differing: [Row] { rows.filter { $0.flag != .same } }
}
