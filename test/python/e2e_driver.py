"""End-to-end driver: a real Jupyter client (jupyter_client's KernelManager and
BlockingKernelClient) runs a list of steps against an installed kernelspec and prints, as one
JSON document on stdout, what the notebook would show for each step.

    python3 e2e_driver.py SPEC.json RESULT.json

SPEC = {"kernel": "glue_pyspark", "endpoint": "http://127.0.0.1:PORT" (for admin steps),
        "admin_token": "..." (the emulator's admin token, for admin steps), "steps": [STEP, ...]}
STEP is one of
    {"code": "...", "timeout": 120}                   execute a cell and wait for its reply
    {"code": "...", "interrupt_after": 2.0}           execute, then km.interrupt_kernel() after N s
    {"code": "...", "updates": true}                  also record update_display_data outputs
    {"sleep": 3.5}                                    wait
    {"admin": "POST", "path": "sessions/{ready}/timeout", "body": {...}}
                                                      call the emulator's admin path; {ready} is the
                                                      id of the newest READY session; body optional
    {"code": "...", "admin_after": {"after": 1.0, "admin": "POST", "path": "..."}}
                                                      execute, and call the admin path N s after
                                                      sending it (while the cell runs)
    {"restart": true}                                 km.restart_kernel() (graceful), wait for ready
    {"shutdown": true}                                km.shutdown_kernel() (graceful); ends the run

Every step gives a result: for a cell, {"status", "ename", "evalue", "traceback",
"execution_count", "outputs": [...], "elapsed", "output_before_reply"}, where each output is
{"type": "stream", "name", "text"}, {"type": "display_data", "mimes", "png_ok", "markdown",
"plain", and "display_id", "at" (its time) when it has an id}, {"type": "execute_result", ...},
{"type": "error", "ename", "evalue", "traceback"} or, with "updates", {"type":
"update_display_data", "display_id", "plain", "at"}.
The kernel process's own stderr goes to this process's stderr.
"""
import base64
import json
import sys
import threading
import time
import urllib.request

from jupyter_client.manager import KernelManager


def stamp(msg):
    d = msg.get("header", {}).get("date")
    return d.timestamp() if hasattr(d, "timestamp") else None


def describe_output(msg, updates=False):
    t = msg["msg_type"]
    c = msg["content"]
    if t == "update_display_data" and updates:
        return {"type": t, "display_id": c.get("transient", {}).get("display_id"),
                "plain": c.get("data", {}).get("text/plain"), "at": stamp(msg)}
    if t == "stream":
        return {"type": "stream", "name": c["name"], "text": c["text"]}
    if t in ("display_data", "execute_result"):
        data = c.get("data", {})
        out = {"type": t, "mimes": sorted(data.keys()), "metadata": c.get("metadata", {})}
        if c.get("transient", {}).get("display_id"):
            out["display_id"] = c["transient"]["display_id"]
            out["at"] = stamp(msg)
        if "image/png" in data:
            try:
                out["png_ok"] = base64.b64decode(data["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
            except Exception:  # noqa: BLE001 - reported as not ok
                out["png_ok"] = False
        if "text/markdown" in data:
            out["markdown"] = data["text/markdown"]
        if "text/plain" in data:
            out["plain"] = data["text/plain"]
        if "text/html" in data:
            out["html"] = data["text/html"]
        return out
    if t == "error":
        return {"type": "error", "ename": c["ename"], "evalue": c["evalue"], "traceback": c["traceback"]}
    return None


def run_cell(km, kc, step, endpoint=None, token=None):
    code = step["code"]
    timeout = step.get("timeout", 120)
    started = time.monotonic()
    msg_id = kc.execute(code, store_history=True, allow_stdin=False, stop_on_error=False)
    side = step.get("admin_after")
    if side is not None:
        timer = threading.Timer(side["after"], admin, (endpoint, token, side["admin"], side["path"], side.get("body")))
        timer.daemon = True
        timer.start()
    interrupted_at = None
    if "interrupt_after" in step:
        time.sleep(step["interrupt_after"])
        interrupted_at = time.monotonic()
        km.interrupt_kernel()
    # The reply (shell) and the outputs (iopub, up to status idle) of this request.
    reply = None
    deadline = started + timeout
    while reply is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no execute_reply within %s s for %r" % (timeout, code[:80]))
        try:
            msg = kc.get_shell_msg(timeout=remaining)
        except Exception:  # queue.Empty
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            reply = msg
    replied_at = time.monotonic()
    outputs = []
    output_stamps = []
    while True:
        remaining = deadline + 30 - time.monotonic()
        msg = kc.get_iopub_msg(timeout=max(remaining, 1))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        described = describe_output(msg, step.get("updates", False))
        if described is not None:
            outputs.append(described)
            output_stamps.append(stamp(msg))
    reply_stamp = stamp(reply)
    content = reply["content"]
    result = {
        "status": content["status"],
        "ename": content.get("ename"),
        "evalue": content.get("evalue"),
        "traceback": content.get("traceback"),
        "execution_count": content.get("execution_count"),
        "outputs": outputs,
        "elapsed": replied_at - started,
        # The kernel stamped every output before it stamped the reply.
        "output_before_reply": all(s is not None and reply_stamp is not None and s <= reply_stamp for s in output_stamps),
    }
    if interrupted_at is not None:
        result["after_interrupt"] = replied_at - interrupted_at
        # "message": interrupt_kernel() sent an interrupt_request on the control channel, no signal.
        result["interrupt_mode"] = km.kernel_spec.interrupt_mode
    return result


def admin(endpoint, token, method, path, body=None):
    if "{ready}" in path:
        with urllib.request.urlopen(endpoint + "/_emulator/sessions", timeout=10) as r:
            sessions = json.load(r)["sessions"]
        ready = [s["id"] for s in sessions if s["status"] == "READY"]
        if not ready:
            raise RuntimeError("no READY session for %s" % path)
        path = path.replace("{ready}", ready[-1])
    data = json.dumps(body if body is not None else {}).encode() if method != "GET" else None
    req = urllib.request.Request(endpoint + "/_emulator/" + path, method=method, data=data,
                                 headers={"content-type": "application/json", "authorization": "Bearer %s" % token})
    with urllib.request.urlopen(req, timeout=10) as r:
        return {"admin": path, "status": r.status, "body": json.load(r)}


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    km = KernelManager(kernel_name=spec.get("kernel", "glue_pyspark"))
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    results = []
    shut = False
    try:
        kc.wait_for_ready(timeout=60)
        for step in spec["steps"]:
            if "code" in step:
                results.append(run_cell(km, kc, step, spec.get("endpoint"), spec.get("admin_token")))
            elif "sleep" in step:
                time.sleep(step["sleep"])
                results.append({"slept": step["sleep"]})
            elif "admin" in step:
                results.append(admin(spec["endpoint"], spec.get("admin_token"), step["admin"], step["path"], step.get("body")))
            elif step.get("restart"):
                started = time.monotonic()
                km.restart_kernel(now=False)
                kc.wait_for_ready(timeout=60)
                results.append({"restarted": True, "elapsed": time.monotonic() - started})
            elif step.get("shutdown"):
                started = time.monotonic()
                kc.stop_channels()
                km.shutdown_kernel(now=False)
                shut = True
                results.append({"shutdown": True, "elapsed": time.monotonic() - started})
                break
            else:
                raise ValueError("unknown step %r" % step)
    except Exception as e:  # noqa: BLE001 - reported in the JSON, so the test shows what ran
        results.append({"driver_error": "%s: %s" % (type(e).__name__, e)})
    finally:
        if not shut:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    with open(sys.argv[2], "w") as f:
        json.dump({"results": results}, f)


if __name__ == "__main__":
    main()
