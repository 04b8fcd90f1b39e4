import FoundationEssentials

/// The few fields of API objects that the actions read.
enum APIObjects {
    /// Decodes `T` from a JSON body.
    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) -> T? {
        try? JSONDecoder().decode(type, from: Data(body))
    }

    /// Any object's annotations: a Namespace's `mlops.dev/trigger-sources`.
    struct Annotated: Decodable {
        struct Metadata: Decodable { var annotations: [String: String]? }
        var metadata: Metadata
    }

    /// A `PodList`: names, creation times and whether each is already going away.
    struct PodList: Decodable {
        struct Pod: Decodable {
            struct Metadata: Decodable {
                var name: String
                var creationTimestamp: String?
                var deletionTimestamp: String?
            }
            var metadata: Metadata
        }
        var items: [Pod]
    }

    /// An ArgoCD Application: its version, its `operation`, and the operation it last ran.
    struct Application: Decodable {
        struct Metadata: Decodable { var resourceVersion: String? }
        struct Operation: Decodable {
            struct Info: Decodable {
                var name: String?
                var value: String?
            }
            var info: [Info]?

            func isTagged(run: String) -> Bool {
                (info ?? []).contains { $0.name == SyncTag.name && $0.value == run }
            }
        }
        struct Status: Decodable {
            struct OperationState: Decodable { var operation: Operation? }
            var operationState: OperationState?
        }
        var metadata: Metadata
        var operation: Operation?
        var status: Status?
    }
}
