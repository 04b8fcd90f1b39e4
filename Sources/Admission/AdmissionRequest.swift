import JSON

/// The parts of a Kubernetes object that admission decisions read.
struct ObjectSummary: Sendable, Equatable {
    var apiVersion = ""
    var kind = ""
    var name: String?
    var namespace: String?
    /// The annotations the rules read (``AnnotationKeys/isRelevant(_:)``), or `nil` when the object has no annotations map.
    var annotations: [String: String]?
    /// The `app.kubernetes.io/instance` label.
    var instance: String?
    /// The `argocd.argoproj.io/tracking-id` annotation.
    var trackingID: String?
}

/// The parts of an `admission.k8s.io/v1` AdmissionReview request that the decisions need.
struct AdmissionRequest: Sendable, Equatable {
    var uid = ""
    var operation = ""
    var userInfo = UserInfo(username: "")
    var subResource: String?
    var dryRun = false
    var namespace: String?
    var object: ObjectSummary?
    var oldObject: ObjectSummary?
}

extension AdmissionRequest {
    /// Reads a request from an AdmissionReview body. Keys are compared as bytes, and only the members the decisions
    /// read become `String`s; everything else (`managedFields`, `spec`, `last-applied-configuration`, …) is skipped.
    /// - Parameters:
    ///   - body: the body bytes.
    ///   - uid: set to the request's uid as soon as it is read, so that a later failure can still echo it.
    static func decode(_ body: [UInt8], uid: inout String?) throws(JSONError) -> AdmissionRequest {
        var request: AdmissionRequest?
        do {
            var reader = JSONReader(body)
            try reader.readMembers { (reader, key) throws(JSONSyntaxError) in
                if case "request" = key {
                    request = try decodeRequest(&reader, uid: &uid)
                } else {
                    try reader.skipValue()
                }
            }
            try reader.expectEnd()
        } catch {
            throw JSONError(error)
        }
        guard let request else { throw JSONError(message: "the AdmissionReview has no request") }
        guard !request.uid.isEmpty else { throw JSONError(message: "the AdmissionReview request has no uid") }
        return request
    }

    private static func decodeRequest(_ reader: inout JSONReader, uid: inout String?) throws(JSONSyntaxError) -> AdmissionRequest {
        var request = AdmissionRequest()
        try reader.readMembers { (reader, key) throws(JSONSyntaxError) in
            switch key {
            case "uid":
                request.uid = try reader.readString()
                uid = request.uid
            case "operation": request.operation = try reader.readString()
            case "subResource": request.subResource = try reader.readNull() ? nil : reader.readString()
            case "namespace": request.namespace = try reader.readNull() ? nil : reader.readString()
            case "dryRun": request.dryRun = try reader.readNull() ? false : reader.readBool()
            case "userInfo": request.userInfo = try decodeUserInfo(&reader)
            case "object": request.object = try decodeObject(&reader)
            case "oldObject": request.oldObject = try decodeObject(&reader)
            default: try reader.skipValue()
            }
        }
        return request
    }

    /// `request.userInfo` whole: a requester-authority review passes it on as the API server gave it.
    private static func decodeUserInfo(_ reader: inout JSONReader) throws(JSONSyntaxError) -> UserInfo {
        var user = UserInfo(username: "")
        try reader.readMembers { (reader, key) throws(JSONSyntaxError) in
            switch key {
            case "username": user.username = try reader.readString()
            case "uid": user.uid = try reader.readNull() ? nil : reader.readString()
            case "groups": user.groups = try readStrings(&reader)
            case "extra":
                try reader.readMembers { (reader, key) throws(JSONSyntaxError) in
                    user.extra[key.string] = try readStrings(&reader)
                }
            default: try reader.skipValue()
            }
        }
        return user
    }

    private static func readStrings(_ reader: inout JSONReader) throws(JSONSyntaxError) -> [String] {
        var strings: [String] = []
        if try reader.readNull() { return strings }
        try reader.readArray { (reader) throws(JSONSyntaxError) in strings.append(try reader.readString()) }
        return strings
    }

    private static func decodeObject(_ reader: inout JSONReader) throws(JSONSyntaxError) -> ObjectSummary? {
        if try reader.readNull() { return nil }
        var object = ObjectSummary()
        try reader.readMembers { (reader, key) throws(JSONSyntaxError) in
            switch key {
            case "apiVersion": object.apiVersion = try reader.readString()
            case "kind": object.kind = try reader.readString()
            case "metadata": try decodeMetadata(&reader, into: &object)
            default: try reader.skipValue()
            }
        }
        return object
    }

    private static func decodeMetadata(_ reader: inout JSONReader, into object: inout ObjectSummary) throws(JSONSyntaxError) {
        try reader.readMembers { (reader, key) throws(JSONSyntaxError) in
            switch key {
            case "name": object.name = try reader.readString()
            case "namespace": object.namespace = try reader.readString()
            case "annotations":
                if try reader.readNull() { return }
                var annotations = [String: String](minimumCapacity: 8)
                try reader.readMembers { (reader, key) throws(JSONSyntaxError) in
                    if case "argocd.argoproj.io/tracking-id" = key {
                        object.trackingID = try reader.readString()
                    } else if AnnotationKeys.isRelevant(utf8: key.utf8) {
                        annotations[key.string] = try reader.readString()
                    } else {
                        try reader.skipString()
                    }
                }
                object.annotations = annotations
            case "labels":
                try reader.readMembers { (reader, key) throws(JSONSyntaxError) in
                    if case "app.kubernetes.io/instance" = key { object.instance = try reader.readString() } else { try reader.skipString() }
                }
            default: try reader.skipValue()
            }
        }
    }
}
