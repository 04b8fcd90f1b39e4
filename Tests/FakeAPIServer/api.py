"""Resource endpoints: get, list, watch, create, update, patch, delete, status writes, evictions and
SubjectAccessReviews, answered with the fixtures' shapes."""

import base64
import json
import re

import matching
import patches
import resources
import wire
from store import StoreError
from watch import Watch

MICROTIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$")
MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"


class Refusal(Exception):
    """Stops a request with a Status answer."""

    def __init__(self, status, headers=()):
        super().__init__(status["message"])
        self.status = status
        self.headers = headers


def kube_verb(method, target, params):
    if method == "GET":
        if target.name:
            return "get"
        return "watch" if params.get("watch") in ("1", "true") else "list"
    if method == "DELETE" and not target.name:
        return "deletecollection"
    return {"POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}.get(method, method.lower())


def decode(data, resource):
    try:
        return json.loads(data)
    except ValueError as error:
        preview = data[:30].decode("utf-8", "replace")
        raise Refusal(wire.bad_request(
            "the object provided is unrecognized (must be of type %s): couldn't get version/kind; "
            "json parse error: %s (%s ...)" % (resource.kind, error, preview)))


def _store_refusal(error, resource, name):
    if error.kind == "notFound":
        return Refusal(wire.not_found(resource, name))
    if error.kind == "alreadyExists":
        return Refusal(wire.already_exists(resource, name))
    return Refusal(wire.conflict(resource, name))


def _validate(resource, obj, namespace):
    if resource.kind == "Lease":
        for field in ("acquireTime", "renewTime"):
            value = (obj.get("spec") or {}).get(field)
            if value is not None and not MICROTIME.match(value):
                raise Refusal(wire.bad_request(
                    'Lease in version "v1" cannot be handled as a Lease: v1.Lease.Spec: v1.LeaseSpec.%s%s: '
                    'parsing time "%s" as "2006-01-02T15:04:05.000000Z07:00"' % (field[0].upper(), field[1:], value)))
    if resource.kind == "Event":
        name = obj.get("metadata", {}).get("name", "")
        involved = (obj.get("involvedObject") or {}).get("namespace")
        if involved is not None and involved != namespace:
            raise Refusal(_invalid("Event", name, "involvedObject.namespace",
                                   'Invalid value: "%s": does not match event.namespace' % involved))
        if obj.get("type") not in (None, "Normal", "Warning"):
            raise Refusal(_invalid("Event", name, "type",
                                   'Unsupported value: "%s": supported values: "Normal", "Warning"' % obj["type"]))


def _invalid(kind, name, field, message):
    return wire.status(422, "Invalid", '%s "%s" is invalid: %s: %s' % (kind, name, field, message),
                       {"name": name, "kind": kind,
                        "causes": [{"reason": "FieldValueInvalid", "message": message, "field": field}]})


def _keep_status(resource, subresource, current, new):
    """With a status subresource, main writes keep the stored status and status writes change only status."""
    if not resource.status:
        return new
    if subresource == "status":
        result = dict(current)
        if "status" in new:
            result["status"] = new["status"]
        else:
            result.pop("status", None)
        return result
    if "status" in current:
        new["status"] = current["status"]
    else:
        new.pop("status", None)
    return new


class API:
    """Serves one resource request on `handler`."""

    def __init__(self, handler, target, params, body):
        self.handler = handler
        self.app = handler.server.app
        self.store = self.app.store
        self.target = target
        self.resource = target.resource
        self.params = params
        self.body = body

    def reply(self, code, obj):
        self.handler.send_json(code, obj, sort_keys=self.resource.custom)

    def serve(self, method, fault):
        t = self.target
        if t.subresource not in (None, "status", "eviction") or (t.subresource == "eviction" and method != "POST"):
            raise Refusal(wire.status(404, "NotFound", "the server could not find the requested resource", {}))
        if method == "GET" and t.name:
            return self.get()
        if method == "GET":
            if self.params.get("watch") in ("1", "true"):
                return Watch(self.handler, self.resource, self.matches(), self.params, fault).serve()
            return self.list()
        if method == "POST" and t.subresource == "eviction":
            return self.evict()
        if method == "POST" and not t.name:
            return self.create()
        if method == "PUT" and t.name:
            return self.update()
        if method == "PATCH" and t.name:
            return self.patch()
        if method == "DELETE" and t.name:
            return self.delete()
        raise Refusal(wire.status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {}))

    def matches(self):
        return matching.matcher(self.target.namespace, self.params.get("labelSelector"), self.params.get("fieldSelector"))

    def get(self):
        obj = self.store.get(self.resource, self.target.namespace, self.target.name)
        if obj is None:
            raise Refusal(wire.not_found(self.resource, self.target.name))
        self.reply(200, obj)

    def list(self):
        items, rv = self.store.list(self.resource, self.target.namespace, self.matches())
        limit = int(self.params.get("limit") or 0)
        start = int(base64.b64decode(self.params["continue"]).decode()) if self.params.get("continue") else 0
        more = ""
        if limit and self.params.get("resourceVersion") != "0":
            if start + limit < len(items):
                more = base64.b64encode(str(start + limit).encode()).decode()
            items = items[start:start + limit]
        link = self.resource.base(self.target.namespace)
        if self.resource.custom:
            self.reply(200, {"apiVersion": self.resource.api_version, "items": items, "kind": self.resource.kind + "List",
                             "metadata": {"continue": more, "resourceVersion": str(rv), "selfLink": link}})
            return
        for item in items:
            item.pop("apiVersion", None)
            item.pop("kind", None)
        meta = {"selfLink": link, "resourceVersion": str(rv)}
        if more:
            meta["continue"] = more
        self.reply(200, {"kind": self.resource.kind + "List", "apiVersion": self.resource.api_version,
                         "metadata": meta, "items": items})

    def create(self):
        obj = decode(self.body, self.resource)
        if self.resource.kind == "SubjectAccessReview":
            return self.review(obj)
        meta = obj.setdefault("metadata", {})
        namespace = self.target.namespace
        if meta.get("namespace") and namespace and meta["namespace"] != namespace:
            raise Refusal(wire.bad_request("the namespace of the provided object does not match the namespace sent on the request"))
        if not meta.get("name") and not meta.get("generateName"):
            raise Refusal(_invalid(self.resource.kind, "", "metadata.name", "Required value: name or generateName is required"))
        self.require_namespace(namespace)
        _validate(self.resource, obj, namespace)
        if self.resource.status:
            obj.pop("status", None)
        try:
            self.reply(201, self.store.create(self.resource, namespace, obj))
        except StoreError as error:
            raise _store_refusal(error, self.resource, meta.get("name"))

    def require_namespace(self, namespace):
        """With config `namespace_lifecycle`, a create in a namespace that has no Namespace object is refused as the
        NamespaceLifecycle admission plugin does: 404 `namespaces "NS" not found` (details.kind `namespaces`)."""
        if not namespace or not self.app.config.get("namespace_lifecycle"):
            return
        namespaces = resources.BY_PATH[("", "v1", "namespaces")]
        if self.store.get(namespaces, None, namespace) is None:
            raise Refusal(wire.not_found(namespaces, namespace))

    def update(self):
        obj = decode(self.body, self.resource)
        meta = obj.get("metadata") or {}
        if meta.get("name") not in (None, self.target.name):
            raise Refusal(wire.bad_request("the name of the object (%s) does not match the name on the URL (%s)"
                                           % (meta.get("name"), self.target.name)))
        _validate(self.resource, obj, self.target.namespace)
        precondition = meta.get("resourceVersion") or None
        self.write(lambda current: _keep_status(self.resource, self.target.subresource, current, obj), precondition)

    def patch(self):
        content_type = (self.handler.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type == STRATEGIC and not self.resource.custom:
            content_type = MERGE
        if content_type not in (MERGE, JSON_PATCH):
            raise Refusal(wire.unsupported_patch())
        document = decode(self.body, self.resource)
        precondition = None
        if content_type == MERGE and isinstance(document, dict):
            precondition = (document.get("metadata") or {}).get("resourceVersion")

        def change(current):
            try:
                if content_type == MERGE:
                    new = patches.merge_patch(current, document)
                else:
                    new = patches.json_patch(current, document)
            except patches.PatchError:
                raise Refusal(wire.patch_rejected())
            _validate(self.resource, new, self.target.namespace)
            return _keep_status(self.resource, self.target.subresource, current, new)

        self.write(change, precondition)

    def write(self, change, precondition):
        try:
            self.reply(200, self.store.update(self.resource, self.target.namespace, self.target.name, change, precondition))
        except StoreError as error:
            raise _store_refusal(error, self.resource, self.target.name)

    def delete(self):
        try:
            obj = self.store.delete(self.resource, self.target.namespace, self.target.name)
        except StoreError as error:
            raise _store_refusal(error, self.resource, self.target.name)
        if self.resource.custom:
            details = wire.object_details(self.resource, self.target.name)
            details["uid"] = obj["metadata"].get("uid")
            self.handler.send_json(200, wire.success(details=details))
        else:
            self.reply(200, obj)

    def evict(self):
        body = decode(self.body, self.resource)
        version = body.get("apiVersion", "")
        allowed = ("policy/v1", "policy/v1beta1") if self.app.eviction_v1 else ("policy/v1beta1",)
        if version not in allowed:
            raise Refusal(wire.bad_request(
                'Eviction in version "%s" cannot be handled as a Eviction: no kind "Eviction" is registered for '
                'version "%s" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"'
                % (version.split("/")[-1], version)))
        if (body.get("metadata") or {}).get("name") != self.target.name:
            raise Refusal(wire.bad_request("name in URL does not match name in Eviction object"))
        if self.store.get(self.resource, self.target.namespace, self.target.name) is None:
            raise Refusal(wire.not_found(self.resource, self.target.name))
        refusal = self.app.faults.take("POST", self.handler.path_only, self.handler.query, lambda s: bool(s.get("pdb")))
        if refusal:
            raise Refusal(wire.pdb_refusal(refusal["pdb"], refusal.get("budget", "pdb")))
        try:
            self.store.delete(self.resource, self.target.namespace, self.target.name)
        except StoreError as error:
            raise _store_refusal(error, self.resource, self.target.name)
        self.handler.send_json(201, wire.success(code=201))

    def review(self, obj):
        spec = obj.get("spec") or {}
        if not spec.get("user") and not spec.get("groups"):
            raise Refusal(wire.status(422, "Invalid", '.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": '
                                      "at least one of user or group must be specified",
                                      {"group": "authorization.k8s.io", "causes": [{
                                          "reason": "FieldValueInvalid", "field": "spec.user",
                                          "message": 'Invalid value: "": at least one of user or group must be specified'}]}))
        status = self.authorize(spec)
        attributes = {k: v for k, v in (spec.get("resourceAttributes") or {}).items() if v != ""}
        self.handler.send_json(201, {"kind": "SubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                                     "metadata": {"creationTimestamp": None},
                                     "spec": dict(spec, resourceAttributes=attributes), "status": status})

    def authorize(self, spec):
        """RBAC as the fake knows it: with config `sar_grants` (a list of grants, each naming a `subject` that is a user
        name or `group:NAME`, and `verb`, `group`, `resource`, and optionally `subresource`, `namespace`, `name`; `*`
        matches anything), allowed when a grant matches, as a real authorizer answers: allowed with an RBAC reason, or
        `allowed: false` and nothing else (fixtures 49-52). Without grants, config `sar_allowed` (default true) decides."""
        grants = self.app.config.get("sar_grants")
        if grants is None:
            return {"allowed": bool(self.app.config.get("sar_allowed", True))}
        subjects = {spec.get("user")} | {"group:" + group for group in spec.get("groups") or []}
        attributes = spec.get("resourceAttributes") or {}

        def matches(grant, field):
            want = grant.get(field, "" if field == "subresource" else "*")
            return want == "*" or want == (attributes.get(field) or "")

        for grant in grants:
            if grant.get("subject") in subjects and all(
                    matches(grant, field) for field in ("verb", "group", "resource", "subresource", "namespace", "name")):
                return {"allowed": True, "reason": 'RBAC: allowed by RoleBinding "fake-%s" of Role "fake" to %s' % (
                    grant["subject"], grant["subject"])}
        return {"allowed": False}
