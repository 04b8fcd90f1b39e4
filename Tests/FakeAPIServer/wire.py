"""Wire shapes of kube-apiserver answers: compact JSON, Status bodies, and the 2048-byte chunking rule."""

import json

CHUNK = 2048
"""Bodies up to this size go with Content-Length; larger ones, and every watch chunk, are split at this size."""


def dumps(value, sort_keys=False):
    """Compact JSON as the API server writes it (no spaces, UTF-8 kept)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys)


def body(value, sort_keys=False):
    """A response body: compact JSON plus the trailing newline, as bytes."""
    return (dumps(value, sort_keys) + "\n").encode("utf-8")


def status(code, reason, message, details=None):
    """A failure `Status` object with the key order of the fixtures."""
    result = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message}
    if reason:
        result["reason"] = reason
    if details is not None:
        result["details"] = details
    result["code"] = code
    return result


def success(code=None, details=None):
    """A success `Status` (eviction: code 201; CR delete: details with uid)."""
    result = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"}
    if details is not None:
        result["details"] = details
    if code is not None:
        result["code"] = code
    return result


def qualified(resource):
    """`plural.group`, or just `plural` for the core group."""
    return resource.plural + "." + resource.group if resource.group else resource.plural


def object_details(resource, name):
    """`details` of a Status about one object; the core group is left out, as in the fixtures."""
    details = {"name": name}
    if resource.group:
        details["group"] = resource.group
    details["kind"] = resource.plural
    return details


def not_found(resource, name):
    return status(404, "NotFound", '%s "%s" not found' % (qualified(resource), name), object_details(resource, name))


def already_exists(resource, name):
    return status(409, "AlreadyExists", '%s "%s" already exists' % (qualified(resource), name),
                  object_details(resource, name))


def conflict(resource, name):
    message = ('Operation cannot be fulfilled on %s "%s": the object has been modified; '
               "please apply your changes to the latest version and try again") % (qualified(resource), name)
    return status(409, "Conflict", message, object_details(resource, name))


def patch_rejected():
    """A JSON patch that cannot be applied (a failed `test` included): the generic 422 of fixture 27."""
    return status(422, "Invalid", "the server rejected our request due to an error in our request", {})


def bad_request(message):
    return status(400, "BadRequest", message)


def unsupported_patch():
    return status(415, "UnsupportedMediaType",
                  "the body of the request was in an unknown format - accepted media types include: "
                  "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")


def unauthorized():
    return status(401, "Unauthorized", "Unauthorized")


def forbidden_anonymous(resource, verb):
    if resource is None:
        return status(403, "Forbidden", 'forbidden: User "system:anonymous" cannot %s path' % verb, {})
    message = '%s is forbidden: User "system:anonymous" cannot %s resource "%s" in API group "%s" at the cluster scope' % (
        qualified(resource), verb, resource.plural, resource.group)
    details = {"group": resource.group, "kind": resource.plural} if resource.group else {"kind": resource.plural}
    return status(403, "Forbidden", message, details)


def injected(code, retry_after=None, message=None, target=None):
    """The Status of an injected fault (500, 429, 503, 409 and 410 as captured, ...); `target` is the request's
    `resources.Target`, for the 409 Conflict about a named object."""
    if code == 409 and target is not None and target.name:
        return conflict(target.resource, target.name)
    if code == 410:
        return status(410, "Expired", message or "The resourceVersion for the provided list is too old.")
    if code == 429:
        details = {"retryAfterSeconds": retry_after} if retry_after is not None else None
        return status(429, "TooManyRequests", message or "Too many requests, please try again later.", details)
    if code == 503:
        return status(503, "ServiceUnavailable", message or "the server is currently unable to handle the request")
    if code >= 500:
        text = message or "injected fault"
        return status(code, "InternalError", "Internal error occurred: " + text, {"causes": [{"message": text}]})
    return status(code, "", message or "injected fault")


def pdb_refusal(mode, budget):
    """The eviction 429 of fixtures 69 (`processing`) and 71 (`violated`)."""
    if mode == "processing":
        cause = "The disruption budget %s is still being processed by the server." % budget
    else:
        cause = "The disruption budget %s needs 1 healthy pods and has 2 currently" % budget
    return status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                  {"causes": [{"reason": "DisruptionBudget", "message": cause}]})


def chunks(data):
    """Splits bytes into pieces of at most CHUNK bytes."""
    return [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
