extension Paths {
    /// Sharing: groups, deliveries, sightings, MISP in and out, and the TAXII 2.1 server.
    enum Sharing {
        static let sharing = "sharing"
        static let groups = "sharing-groups"
        static let deliveries = "deliveries"
        static let feedEvents = "feed-events"
        static let sightings = "sightings"
        static let mispEvents = "misp-events"
        static let mispFeed = "misp-feed"
        static let mispManifest = "manifest.json"
        static let mispHashes = "hashes.csv"

        static let taxii = "taxii2"
        static let status = "status"
        static let collections = "collections"
        static let manifest = "manifest"
        static let objects = "objects"
        static let versions = "versions"

        /// The path of a TAXII API root, `/taxii2/forum/`.
        static func taxiiRoot(_ root: String) -> String { "/\(taxii)/\(root)/" }

        /// The path of a TAXII collection, `/taxii2/forum/collections/{id}/`.
        static func taxiiCollection(root: String, id: String) -> String {
            taxiiRoot(root) + "\(collections)/\(id)/"
        }
    }
}
