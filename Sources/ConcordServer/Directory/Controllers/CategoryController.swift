import Fluent
import Vapor

/// `/api/v1/categories`: the membership categories the forum configures, and their rights.
struct CategoryController: RouteCollection {
    /// The body of `POST /categories` and `PATCH /categories/:category`.
    struct CategoryInput: Content {
        var slug: String?
        var name: String?
        var mayVote: Bool?
        var takesPartInDrills: Bool?

        func validate(creating: Bool) throws {
            var validator = FieldValidator()
            if creating {
                validator.check(slug != nil, "slug", "is required")
                validator.check(name != nil, "name", "is required")
            }
            if let slug {
                validator.check(TeamInput.isSlug(slug), "slug", "must be 2–40 lower-case letters, digits and hyphens")
            }
            if let name {
                validator.check(
                    !name.trimmingCharacters(in: .whitespaces).isEmpty && name.count <= 100, "name",
                    "must be 1–100 characters")
            }
            try validator.throwIfFailed()
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        let categories = routes.grouped(.constant(Paths.categories))
        categories.get(use: list)
        categories.post(use: create)
        categories.patch(":category", use: update)
    }

    @Sendable func list(req: Request) async throws -> [CategoryDTO] {
        try req.policy.require(.readDirectory)
        return try await MembershipCategory.query(on: req.db).sort(\.$slug).all().map(CategoryDTO.init)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.policy.require(.manageEconomies)
        let input = try req.content.decode(CategoryInput.self)
        try input.validate(creating: true)
        let category = MembershipCategory(
            slug: input.slug ?? "", name: input.name ?? "", mayVote: input.mayVote ?? false,
            takesPartInDrills: input.takesPartInDrills ?? true)
        try await req.db.writeTransaction { db in
            if try await MembershipCategory.query(on: db).filter(\.$slug == category.slug).count() > 0 {
                throw ConcordError(.conflict, "a category with slug '\(category.slug)' exists already")
            }
            try await category.create(on: db)
            try await AuditLog.record(
                "category.create", targetType: "category", targetID: category.slug,
                summary: "created \(category.name) (votes: \(category.mayVote), drills: \(category.takesPartInDrills))",
                caller: req.caller, on: db)
        }
        return try await CategoryDTO(category).encodeResponse(status: .created, for: req)
    }

    /// Renames a category or changes its rights; the slug stays, since teams and imports refer to it.
    @Sendable func update(req: Request) async throws -> CategoryDTO {
        try req.policy.require(.manageEconomies)
        let input = try req.content.decode(CategoryInput.self)
        try input.validate(creating: false)
        guard
            let category = try await MembershipCategory.query(on: req.db)
                .filter(\.$slug == (req.parameters.get("category") ?? "")).first()
        else { throw ConcordError.notFound("membership category") }
        if let slug = input.slug, slug != category.slug {
            throw ConcordError.invalid(field: "slug", "cannot be changed")
        }
        if let name = input.name { category.name = name }
        if let vote = input.mayVote { category.mayVote = vote }
        if let drills = input.takesPartInDrills { category.takesPartInDrills = drills }
        try await req.db.writeTransaction { db in
            try await category.save(on: db)
            try await AuditLog.record(
                "category.update", targetType: "category", targetID: category.slug,
                summary: "\(category.name): votes \(category.mayVote), drills \(category.takesPartInDrills)",
                caller: req.caller, on: db)
        }
        return CategoryDTO(category)
    }
}
