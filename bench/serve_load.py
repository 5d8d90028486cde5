#!/usr/bin/python3
"""Load for `bench/run.sh serve`: alert latency against a warm `runbook serve`, a storm drained by
it, and the same storm drained by a minimal receiver that forks one shell per alert (the
prometheus-am-executor pattern). Talks to 127.0.0.1 only; every wait has a deadline."""
import json, os, subprocess, sys, threading, time, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def webhook(first, count):
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    alerts = [{"status": "firing", "labels": {"alertname": "Bench", "n": str(n)},
               "annotations": {}, "startsAt": now, "fingerprint": "%016x" % (n + 1)}
              for n in range(first, first + count)]
    return json.dumps({"version": "4", "status": "firing", "receiver": "bench",
                       "alerts": alerts}).encode()


def post(url, body):
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()
        return r.status


def wait_for(path, deadline):
    while not os.path.exists(path):
        if time.time() > deadline:
            sys.exit("timed out waiting for " + path)
        time.sleep(0.0005)


def latency(url, marks, count, warmup):
    """One alert at a time: from the POST to the first command's own clock reading."""
    out = []
    for n in range(warmup + count):
        mark = os.path.join(marks, str(n))
        t0 = time.time_ns()
        post(url, webhook(n, 1))
        wait_for(mark, time.time() + 30)
        while os.path.getsize(mark) == 0:
            time.sleep(0.0005)
        started = int(open(mark).read().split()[0])
        if n >= warmup:
            out.append((started - t0) / 1e6)
    out.sort()
    p = lambda q: out[min(len(out) - 1, int(q * len(out)))]
    print("latency alert -> first command, %d alerts (after %d warm-up): p50 %.1f ms, p99 %.1f ms, max %.1f ms"
          % (count, warmup, p(0.50), p(0.99), out[-1]))


def storm(url, marks, first, count, per_request):
    """Posts `count` alerts, `per_request` to a webhook, then waits until each has its mark."""
    t0 = time.time()
    for start in range(first, first + count, per_request):
        post(url, webhook(start, per_request))
    sent = time.time() - t0
    deadline = time.time() + 600
    for n in range(first, first + count):
        wait_for(os.path.join(marks, str(n)), deadline)
    drained = time.time() - t0
    print("%.3f %.3f" % (drained, sent))


class Executor(BaseHTTPRequestHandler):
    """The baseline: for each alert of a webhook, fork the shell script, as am-executor does."""
    script = None

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        for alert in body["alerts"]:
            env = dict(os.environ, AMX_LABEL_n=alert["labels"]["n"])
            subprocess.run(["/bin/sh", Executor.script], env=env, check=False)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def executor(port, script):
    Executor.script = script
    server = ThreadingHTTPServer(("127.0.0.1", port), Executor)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "latency":
        latency(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif what == "storm":
        storm(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    elif what == "executor-storm":
        port, script, marks, count, per = int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
        server = executor(port, script)
        storm("http://127.0.0.1:%d/" % port, marks, 0, count, per)
        server.shutdown()
