"""The resource types the fake serves, and how their URLs map to them."""


class Resource:
    """One resource type: where it lives and how its writes behave."""

    def __init__(self, group, version, plural, kind, namespaced=True, status=False, generation=False, custom=False):
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
        self.status = status          # has a /status subresource: main writes ignore status, status writes only status
        self.generation = generation  # metadata.generation bumps when anything but metadata and status changes
        self.custom = custom          # a custom resource: keys come out sorted, as the fixtures show

    @property
    def api_version(self):
        return self.group + "/" + self.version if self.group else self.version

    @property
    def key(self):
        return (self.group, self.plural)

    def base(self, namespace=None):
        """The collection URL, namespaced when `namespace` is given."""
        root = "/apis/" + self.group + "/" + self.version if self.group else "/api/" + self.version
        if self.namespaced and namespace:
            return root + "/namespaces/" + namespace + "/" + self.plural
        return root + "/" + self.plural

    def self_link(self, namespace, name):
        return self.base(namespace) + "/" + name


RESOURCES = [
    Resource("", "v1", "pods", "Pod"),
    Resource("", "v1", "events", "Event"),
    Resource("", "v1", "configmaps", "ConfigMap"),
    Resource("", "v1", "namespaces", "Namespace", namespaced=False),
    Resource("", "v1", "services", "Service"),
    Resource("apps", "v1", "deployments", "Deployment", status=True, generation=True),
    Resource("apps", "v1", "statefulsets", "StatefulSet", status=True, generation=True),
    Resource("apps", "v1", "daemonsets", "DaemonSet", status=True, generation=True),
    Resource("mlops.mlops.dev", "v1alpha1", "notebookvalidationjobs", "NotebookValidationJob",
             status=True, generation=True, custom=True),
    Resource("argoproj.io", "v1alpha1", "applications", "Application", status=True, generation=True, custom=True),
    Resource("serving.kserve.io", "v1beta1", "inferenceservices", "InferenceService",
             status=True, generation=True, custom=True),
    Resource("coordination.k8s.io", "v1", "leases", "Lease"),
    Resource("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", namespaced=False),
    Resource("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration",
             namespaced=False),
    Resource("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration",
             namespaced=False),
]

BY_PATH = {(r.group, r.version, r.plural): r for r in RESOURCES}
BY_KIND = {(r.api_version, r.kind): r for r in RESOURCES}


class Target:
    """A parsed resource URL: resource, namespace, name and subresource (any may be None)."""

    def __init__(self, resource, namespace, name, subresource):
        self.resource = resource
        self.namespace = namespace
        self.name = name
        self.subresource = subresource


def parse_path(path):
    """Parses `/api/v1/...` or `/apis/G/V/...`; returns a Target, or None for an unknown path."""
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] == "api":
        group, version, rest = "", parts[1], parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return None
    namespace = None
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    if not rest or len(rest) > 3:
        return None
    resource = BY_PATH.get((group, version, rest[0]))
    if resource is None:
        return None
    if namespace is not None and not resource.namespaced:
        return None
    name = rest[1] if len(rest) >= 2 else None
    subresource = rest[2] if len(rest) == 3 else None
    return Target(resource, namespace, name, subresource)
