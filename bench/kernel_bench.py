"""Measures a Jupyter kernel the way a frontend sees it, with Debian's jupyter_client.

usage: kernel_bench.py KERNEL_NAME [--starts N] [--iters N] [--warmup N] [--code CODE ...] [--json OUT]

start  = KernelManager.start_kernel() -> first kernel_info_reply (request resent every 0.25 s)
rss    = resident memory of the kernel's process tree 1 s after that reply (from /proc)
latency(code) = execute_request -> both execute_reply and status idle for it, sequential
"""
import argparse
import json
import os
import statistics
import time
import uuid

import zmq
from jupyter_client import KernelManager
from jupyter_client.session import Session


def tree_rss_kib(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except OSError:
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(p, []))
    return total


def connect(km, ctx, session):
    info = km.get_connection_info()
    shell = ctx.socket(zmq.DEALER)
    shell.setsockopt(zmq.IDENTITY, session.bsession)
    shell.connect(f"tcp://{info['ip']}:{info['shell_port']}")
    iopub = ctx.socket(zmq.SUB)
    iopub.setsockopt(zmq.SUBSCRIBE, b"")
    iopub.connect(f"tcp://{info['ip']}:{info['iopub_port']}")
    return shell, iopub


def measure_start(name):
    ctx = zmq.Context()
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    session = Session(key=km.session.key, signature_scheme=km.session.signature_scheme)
    shell, iopub = connect(km, ctx, session)
    poller = zmq.Poller()
    poller.register(shell, zmq.POLLIN)
    elapsed = None
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline and elapsed is None:
        session.send(shell, "kernel_info_request", {})
        end = time.perf_counter() + 0.25
        while time.perf_counter() < end:
            if poller.poll(10):
                _, msg = session.recv(shell)
                if msg and msg["msg_type"] == "kernel_info_reply":
                    elapsed = time.perf_counter() - t0
                    break
    time.sleep(1.0)
    rss = tree_rss_kib(km.provisioner.process.pid) / 1024 if km.provisioner else None
    return km, ctx, session, shell, iopub, elapsed, rss


def execute_once(session, shell, iopub, code):
    t0 = time.perf_counter()
    msg = session.send(shell, "execute_request", {"code": code, "silent": False, "store_history": True,
                                                   "user_expressions": {}, "allow_stdin": False})
    msg_id = msg["header"]["msg_id"]
    got_reply = got_idle = False
    poller = zmq.Poller()
    poller.register(shell, zmq.POLLIN)
    poller.register(iopub, zmq.POLLIN)
    deadline = t0 + 120
    while not (got_reply and got_idle):
        if time.perf_counter() > deadline:
            raise RuntimeError(f"no reply for {code!r}")
        for sock, _ in poller.poll(100):
            _, m = session.recv(sock)
            if not m or m["parent_header"].get("msg_id") != msg_id:
                continue
            if sock is shell and m["msg_type"] == "execute_reply":
                if m["content"]["status"] != "ok":
                    raise RuntimeError(f"{code!r} failed: {m['content']}")
                got_reply = True
            elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                got_idle = True
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kernel")
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--code", action="append", default=None)
    ap.add_argument("--json")
    args = ap.parse_args()
    codes = args.code or ["1+1"]
    starts, rsss = [], []
    for i in range(args.starts):
        km, ctx, session, shell, iopub, elapsed, rss = measure_start(args.kernel)
        starts.append(elapsed)
        rsss.append(rss)
        if i == args.starts - 1:
            time.sleep(0.3)
            latencies = {}
            for code in codes:
                for _ in range(args.warmup):
                    execute_once(session, shell, iopub, code)
                samples = sorted(execute_once(session, shell, iopub, code) for _ in range(args.iters))
                latencies[code] = {
                    "median_ms": statistics.median(samples) * 1000,
                    "p90_ms": samples[int(len(samples) * 0.9) - 1] * 1000,
                    "p99_ms": samples[int(len(samples) * 0.99) - 1] * 1000,
                }
        shell.close(0)
        iopub.close(0)
        km.shutdown_kernel(now=False)
        ctx.term()
    result = {
        "kernel": args.kernel,
        "start_median_ms": statistics.median(starts) * 1000,
        "start_all_ms": [s * 1000 for s in starts],
        "rss_mib": statistics.median(rsss),
        "latency": latencies,
    }
    text = json.dumps(result, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    main()
