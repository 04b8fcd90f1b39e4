"""Discovery documents read straight from the captured fixtures (`kube-api/*discovery*.txt`, `*get-version*.txt`)."""

import json
import os

import wire


class Captured:
    """One captured answer: status code, content type and the exact body bytes."""

    def __init__(self, code, content_type, data):
        self.code = code
        self.content_type = content_type
        self.data = data


def _parse(text):
    """Returns (request path, Captured) from a fixture file's REQUEST and RESPONSE sections."""
    request = text.split("=== REQUEST ===\n", 1)[1]
    path = request.split("\n", 1)[0].split(" ")[1]
    response = text.split("=== RESPONSE ===\n", 1)[1]
    head, rest = response.split("\n\n", 1)
    lines = head.split("\n")
    code = int(lines[0].split(" ")[1])
    content_type = "application/json"
    for line in lines[1:]:
        name, _, value = line.partition(": ")
        if name.lower() == "content-type":
            content_type = value
    marker = rest.index("\n(body: ")
    size = int(rest[marker + len("\n(body: "):].split(" ", 1)[0])
    data = rest[:marker + 1].encode("utf-8")
    if len(data) != size:
        # The body had no trailing newline (e.g. /version): drop the one the file layout added.
        data = data[:-1]
    return path, Captured(code, content_type, data)


def load_discovery(folder, eviction_v1=False):
    """Maps discovery paths to their captured answers.

    With `eviction_v1`, the documents are changed to what a current cluster (1.25+) serves: `pods/eviction` in
    `/api/v1` names `policy/v1`, `/apis/policy/v1` exists and `/apis/policy/v1beta1` is gone (404).
    """
    routes = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt") or ("discovery" not in name and "get-version" not in name):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            path, captured = _parse(handle.read())
        routes[path] = captured
    if eviction_v1:
        _modernise_policy(routes)
    return routes


def _json_answer(value):
    return Captured(200, "application/json", wire.body(value))


def _modernise_policy(routes):
    core = json.loads(routes["/api/v1"].data)
    for resource in core["resources"]:
        if resource["name"] == "pods/eviction":
            resource["version"] = "v1"
    routes["/api/v1"] = _json_answer(core)

    groups = json.loads(routes["/apis"].data)
    for group in groups["groups"]:
        if group["name"] == "policy":
            version = {"groupVersion": "policy/v1", "version": "v1"}
            group["versions"] = [version]
            group["preferredVersion"] = version
    routes["/apis"] = _json_answer(groups)

    old = json.loads(routes["/apis/policy/v1beta1"].data)
    budgets = [r for r in old["resources"] if r["name"].startswith("poddisruptionbudgets")]
    routes["/apis/policy/v1"] = _json_answer(
        {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "policy/v1", "resources": budgets})
    routes["/apis/policy/v1beta1"] = Captured(
        404, "application/json",
        wire.body(wire.status(404, "NotFound", "the server could not find the requested resource", {})))
