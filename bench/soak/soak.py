#!/usr/bin/env python3
"""Soak: `triggergate serve` under an hour of mixed load, with its RSS, open descriptors and threads sampled each minute.

    python3 bench/soak/soak.py --minutes 60            # the recorded run (docs/reliability.md, "Soak")
    python3 bench/soak/soak.py --minutes 3 --warmup 1  # a quick look

The server runs against the fake API server (Tests/FakeAPIServer) as a reconciler leader and admission webhook, at
once. The load, modest on purpose (the machine may be shared), runs in parallel for the whole time:
- admission over HTTP/1.1 keep-alive (h2load --h1), `--h1-rps` requests a second on 2 connections;
- admission over HTTP/2 (h2load), `--h2-rps` requests a second on 1 connection with 2 streams;
- a new TLS connection for every request (Python ssl, one POST each), `--new-rps` a second;
- a NotebookValidationJob that completes every `--job-every` seconds, whose trigger restarts a Deployment; once its
  trigger-status says Succeeded, the job is deleted, so the cache stays the same size.

Each minute prints one row (markdown): RSS, descriptors, threads, and the requests and triggers of that minute.
At the end: `soak: PASS` when no request failed, every trigger ran exactly once, and RSS, descriptors and threads after
the warm-up stayed within `--rss-slack` MiB, 10 descriptors and 4 threads of their first post-warm-up sample;
else `soak: FAIL` with the reasons, and exit status 1.
"""

import argparse
import glob
import http.client
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "soak-token"
TRIGGER = "[{apiVersion: apps/v1, kind: Deployment, name: web, action: restart}]"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5, help="minutes before the flatness check starts")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/triggergate"))
    parser.add_argument("--fixtures", default=os.path.join(os.path.dirname(ROOT), "shared/fixtures"))
    parser.add_argument("--h1-rps", type=int, default=10)
    parser.add_argument("--h2-rps", type=int, default=5)
    parser.add_argument("--new-rps", type=float, default=2)
    parser.add_argument("--job-every", type=float, default=5)
    parser.add_argument("--rss-slack", type=float, default=8, help="MiB RSS may grow after the warm-up")
    return parser.parse_args()


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_file(path, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path) and open(path).read().strip():
            return open(path).read().strip()
        time.sleep(0.05)
    raise SystemExit(f"soak: {path} never appeared")


class Fake:
    """The fake API server on plain HTTP, with token auth."""

    def __init__(self, directory, fixtures):
        self.port_file = os.path.join(directory, "port")
        self.control_file = os.path.join(directory, "control-port")
        self.log = open(os.path.join(directory, "fake.log"), "w")
        self.process = subprocess.Popen([
            sys.executable, os.path.join(ROOT, "Tests/FakeAPIServer/fake_apiserver.py"),
            "--fixtures", os.path.join(fixtures, "kube-api"), "--port-file", self.port_file,
            "--control-port", "0", "--control-port-file", self.control_file, "--token", TOKEN,
        ], stdout=self.log, stderr=subprocess.STDOUT)
        self.port = int(wait_for_file(self.port_file))
        self.control = f"http://127.0.0.1:{int(wait_for_file(self.control_file))}"
        self.kubeconfig = os.path.join(directory, "kubeconfig")
        with open(self.kubeconfig, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
clusters: [{{name: fake, cluster: {{server: "http://127.0.0.1:{self.port}"}}}}]
users: [{{name: fake, user: {{token: {TOKEN}}}}}]
contexts: [{{name: fake, context: {{cluster: fake, user: fake}}}}]
current-context: fake
""")

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.control + path, data=data, method=method)
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def api_delete(self, path):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method="DELETE",
                                         headers={"Authorization": f"Bearer {TOKEN}"})
        urllib.request.urlopen(request, timeout=30).read()

    def object(self, path):
        try:
            return self.call("GET", "/__fake/object?path=" + path)
        except urllib.error.HTTPError:
            return None


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}

    def add(self, key, amount=1):
        with self.lock:
            self.values[key] = self.values.get(key, 0) + amount

    def take(self):
        with self.lock:
            values, self.values = self.values, {}
        return values


H2LOAD_LINE = re.compile(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored")


def h2load_loop(stop, counter, name, arguments, fixture, url):
    """Runs h2load in 60 s slices until `stop`; counts its requests under `name`."""
    while not stop.is_set():
        result = subprocess.run(["nice", "-n", "19", "h2load", "-D", "60", "-d", fixture] + arguments + [url],
                                capture_output=True, text=True)
        match = H2LOAD_LINE.search(result.stdout)
        if not match:
            counter.add(name + " failed", 1)
            counter.add("errors", 1)
            print(f"soak: h2load printed no summary: {result.stdout[-400:]} {result.stderr[-400:]}", file=sys.stderr)
            time.sleep(1)
            continue
        counter.add(name, int(match.group(4)))
        counter.add(name + " failed", int(match.group(5)) + int(match.group(6)))


def new_connection_loop(stop, counter, port, ca, body, rate):
    context = ssl.create_default_context(cafile=ca)
    while not stop.is_set():
        started = time.time()
        try:
            connection = http.client.HTTPSConnection("localhost", port, context=context, timeout=20)
            connection.request("POST", "/validate", body=body, headers={"Content-Type": "application/json"})
            answer = connection.getresponse()
            answer.read()
            connection.close()
            counter.add("new conn" if answer.status == 200 else "new conn failed")
        except OSError as error:
            counter.add("new conn failed")
            print(f"soak: new connection failed: {error}", file=sys.stderr)
        stop.wait(max(0, 1 / rate - (time.time() - started)))


def job(name, completion):
    return {
        "apiVersion": "mlops.mlops.dev/v1alpha1", "kind": "NotebookValidationJob",
        "metadata": {"name": name, "namespace": "ml", "annotations": {"mlops.dev/on-success-trigger": TRIGGER}},
        "spec": {"notebook": {"path": "train.ipynb"}},
        "status": {"phase": "Succeeded", "completionTime": completion},
    }


def job_loop(stop, counter, fake, every, problems):
    """Completes a job every `every` seconds; deletes each once its trigger succeeded (counted once per job)."""
    number = 0
    waiting = {}
    while not stop.is_set() or waiting:
        if not stop.is_set():
            number += 1
            name = f"soak-{number}"
            fake.call("POST", "/__fake/objects", job(name, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
            waiting[name] = time.time()
            counter.add("jobs")
        for name, created in list(waiting.items()):
            path = f"/apis/mlops.mlops.dev/v1alpha1/namespaces/ml/notebookvalidationjobs/{name}"
            stored = fake.object(path) or {}
            status = json.loads(stored.get("metadata", {}).get("annotations", {}).get("mlops.dev/trigger-status", "null") or "null")
            states = [entry.get("state") for entry in (status or {}).get("triggers", [])]
            if states == ["Succeeded"]:
                fake.api_delete(path)
                del waiting[name]
                counter.add("triggered")
            elif time.time() - created > 120:
                problems.append(f"{name}: trigger not finished after 120 s: {status}")
                del waiting[name]
        stop.wait(every)


def sample(pid):
    status = open(f"/proc/{pid}/status").read()
    rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
    return rss, len(os.listdir(f"/proc/{pid}/fd")), threads


def main():
    args = parse_args()
    directory = tempfile.mkdtemp(prefix="tg-soak-")
    fixture = sorted(glob.glob(os.path.join(args.fixtures, "admission", "*.validating.raw.json")))[0]
    body = open(fixture, "rb").read()
    fake = Fake(directory, args.fixtures)
    fake.call("POST", "/__fake/objects", [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ml"}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "ml"},
         "spec": {"replicas": 1, "template": {"metadata": {}}}},
    ])
    certs = os.path.join(directory, "certs")
    subprocess.run([args.binary, "certs", "--dns", "localhost", "--ip", "127.0.0.1", "--out", certs], check=True,
                   capture_output=True)
    port, health = free_port(), free_port()
    server_log = open(os.path.join(directory, "serve.log"), "w")
    server = subprocess.Popen([
        "nice", "-n", "19", args.binary, "serve", "--kubeconfig", fake.kubeconfig,
        "--listen", f"127.0.0.1:{port}", "--health-listen", f"127.0.0.1:{health}",
        "--tls-cert-file", os.path.join(certs, "tls.crt"), "--tls-key-file", os.path.join(certs, "tls.key"),
        "--lease-namespace", "triggergate", "--shutdown-delay", "1s",
    ], stdout=server_log, stderr=subprocess.STDOUT, env=dict(os.environ, POD_NAME="soak"))
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{health}/readyz", timeout=2).read()
            break
        except OSError:
            if time.time() > deadline:
                raise SystemExit("soak: serve never became ready")
            time.sleep(0.2)

    stop = threading.Event()
    counter = Counter()
    problems = []
    url = f"https://localhost:{port}/validate"
    workers = [
        threading.Thread(target=h2load_loop, args=(stop, counter, "h1", ["--h1", "-c", "2", "--rps", str(args.h1_rps // 2 or 1)], fixture, url)),
        threading.Thread(target=h2load_loop, args=(stop, counter, "h2", ["-c", "1", "-m", "2", "--rps", str(args.h2_rps)], fixture, url)),
        threading.Thread(target=new_connection_loop, args=(stop, counter, port, os.path.join(certs, "ca.crt"), body, args.new_rps)),
        threading.Thread(target=job_loop, args=(stop, counter, fake, args.job_every, problems)),
    ]
    for worker in workers:
        worker.start()

    print(f"soak: serve pid {server.pid}, {args.minutes} min, logs in {directory}", flush=True)
    print("| minute | RSS MiB | fds | threads | h1 ok | h2 ok | new conn ok | failed | jobs | triggered |", flush=True)
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    samples = []
    totals = {}
    started = time.time()
    for minute in range(1, args.minutes + 1):
        time.sleep(max(0, started + 60 * minute - time.time()))
        if server.poll() is not None:
            problems.append(f"serve exited with {server.returncode} in minute {minute}")
            break
        rss, fds, threads = sample(server.pid)
        samples.append((minute, rss, fds, threads))
        counts = counter.take()
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        failed = sum(value for key, value in counts.items() if key.endswith("failed"))
        print(f"| {minute} | {rss:.1f} | {fds} | {threads} | {counts.get('h1', 0)} | {counts.get('h2', 0)} | "
              f"{counts.get('new conn', 0)} | {failed} | {counts.get('jobs', 0)} | {counts.get('triggered', 0)} |", flush=True)

    stop.set()
    for worker in workers:
        worker.join()
    for key, value in counter.take().items():
        totals[key] = totals.get(key, 0) + value
    restarts = [r for r in fake.call("GET", "/__fake/requests")
                if r["method"] == "PATCH" and r["path"].endswith("/deployments/web")]
    server.send_signal(signal.SIGTERM)
    status = server.wait(timeout=60)
    fake.process.kill()

    failed = sum(value for key, value in totals.items() if key.endswith("failed"))
    if failed:
        problems.append(f"{failed} requests failed")
    if status != 0:
        problems.append(f"serve exited {status} after SIGTERM")
    if totals.get("triggered", 0) != totals.get("jobs", 0):
        problems.append(f"{totals.get('jobs', 0)} jobs but {totals.get('triggered', 0)} triggers succeeded")
    if len(restarts) != totals.get("jobs", 0):
        problems.append(f"{len(restarts)} Deployment restarts for {totals.get('jobs', 0)} jobs")
    steady = [s for s in samples if s[0] > args.warmup]
    if steady:
        first = steady[0]
        for minute, rss, fds, threads in steady:
            if rss > first[1] + args.rss_slack or fds > first[2] + 10 or threads > first[3] + 4:
                problems.append(f"minute {minute}: RSS {rss:.1f} MiB, {fds} fds, {threads} threads; "
                                f"after the warm-up it started at {first[1]:.1f} MiB, {first[2]} fds, {first[3]} threads")
                break
    print(f"soak: totals {json.dumps(totals, sort_keys=True)}; Deployment restarts {len(restarts)}; serve exit {status}")
    if samples:
        print(f"soak: RSS min {min(s[1] for s in samples):.1f} max {max(s[1] for s in samples):.1f} MiB")
    if problems:
        print("soak: FAIL: " + "; ".join(problems))
        return 1
    print("soak: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
