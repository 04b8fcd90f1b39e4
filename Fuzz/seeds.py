#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target from the shared fixtures (captured from a real kube-apiserver).

Usage: Fuzz/seeds.py FIXTURES OUT  -- makes OUT/<target>/ for every target of Fuzz/ (see .ci/fuzz). Each input starts
the way its target expects: a selector byte for the HTTP and watch targets, the annotation layout for annotations.
"""
import base64
import glob
import hashlib
import json
import os
import re
import sys

fixtures, out = sys.argv[1], sys.argv[2]
counts = {}


def seed(target, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as sink:
        sink.write(data)
    counts[target] = counts.get(target, 0) + 1


def section(text, start, end_marker):
    """The lines after the line `start` up to (not including) the first line starting with `end_marker`."""
    lines = text.split("\n")
    if start not in lines:
        return None
    rest = lines[lines.index(start) + 1:]
    for index, line in enumerate(rest):
        if line.startswith(end_marker):
            return rest[:index]
    return rest


def head(lines):
    """An HTTP head from the request or response lines of a fixture, up to its blank line, with CRLF endings."""
    block = []
    for line in lines:
        if line == "":
            break
        block.append(line)
    return ("\r\n".join(block) + "\r\n\r\n").encode()


for path in sorted(glob.glob(os.path.join(fixtures, "kube-api", "*.txt"))):
    text = open(path, encoding="utf-8").read()
    request = section(text, "=== REQUEST ===", "=== RESPONSE")
    if request:
        seed("http-head", b"\x00" + head(request))
    response = section(text, "=== RESPONSE ===", "=== ")
    if response:
        seed("http-head", b"\x01" + head(response))
        body_start = response.index("") + 1 if "" in response else len(response)
        body = "\n".join(response[body_start:])
        match = re.match(r"(.*)\n\(body: \d+ bytes", body, re.S)
        if match and match.group(1).lstrip().startswith(("{", "[")):
            seed("json", match.group(1).encode() + b"\n")
    raw = section(text, next((line for line in text.split("\n") if line.startswith("--- raw body bytes")), "\0"), "--- ")
    if raw:
        framed = b"".join(
            line[:-4].encode() + b"\r\n" if line.endswith("\\r\\n") else line.encode() + b"\n"
            for line in raw if not re.match(r"\[\+[\d.]+s, \d+ bytes\]$", line))
        while framed.endswith(b"\n\n"):
            framed = framed[:-1]
        seed("http-chunked", b"\x00" + framed)
        seed("http-chunked", b"\x0f" + framed)
    events = section(text, "--- de-chunked body: one watch event JSON per line ---", "--- ")
    if events:
        body = "\n".join(line for line in events if line).encode() + b"\n"
        seed("watch-events", b"\xff" + body)
        seed("watch-events", b"\x10" + body)
        seed("http-chunked", b"\x01" + body)

for path in sorted(glob.glob(os.path.join(fixtures, "admission", "*.raw.json"))):
    body = open(path, "rb").read()
    seed("json", body)
    seed("admission-review", body)
    review = json.loads(body)
    for key in ("object", "oldObject"):
        annotations = ((review["request"].get(key) or {}).get("metadata") or {}).get("annotations") or {}
        if annotations:
            seed("annotations", "\0".join([
                annotations.get("mlops.dev/on-success-trigger", ""),
                annotations.get("argocd.argoproj.io/sync-wave", "0") + "\n" + annotations.get("mlops.dev/block-wave", ""),
            ]).encode())

for path in sorted(glob.glob(os.path.join(fixtures, "admission", "manifests", "*.yaml"))):
    seed("kubeconfig", open(path, "rb").read())

ca = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").decode()
for server, user in [
    ("https://127.0.0.1:6443", "token: abc.def"),
    ("https://[::1]:6443/", "tokenFile: token"),
    ("http://localhost", "client-certificate-data: %s\n    client-key-data: %s" % (ca, ca)),
    ("https://kubernetes.default.svc", "client-certificate: admin.crt\n    client-key: admin.key"),
]:
    seed("kubeconfig", f"""apiVersion: v1
kind: Config
clusters:
- name: capture
  cluster:
    server: {server}
    certificate-authority-data: {ca}
    tls-server-name: kubernetes
users:
- name: admin
  user:
    {user}
contexts:
- name: capture
  context:
    cluster: capture
    user: admin
    namespace: team-a
current-context: capture
""".encode())

for target, count in sorted(counts.items()):
    print(f"seeds: {target}: {count} inputs")
