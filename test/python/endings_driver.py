"""Endings driver: a real Jupyter client (jupyter_client's KernelManager) runs cells on an
installed kernelspec, then ends the kernel one way, and prints what happened as JSON.

    python3 endings_driver.py SPEC.json RESULT.json

SPEC = {"kernel": "glue_pyspark", "endpoint": "http://...", "steps": [STEP, ...],
        "ending": "shutdown" | "restart" | "SIGTERM" | "SIGHUP" | "SIGKILL" | "shutdown_during",
        "during": "code sent without waiting, then the ending after `during_wait` s",
        "during_until": "text the during cell shows before the wait starts"}
STEP is e2e_driver.py's (code, sleep, admin). RESULT = {"results": [...], "kernel_pid": N,
"ending": {"elapsed": s, "exited": bool, "after_restart": RESULT_OF_A_CELL}}.
"""
import json
import os
import signal
import sys
import time

from jupyter_client.manager import KernelManager

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_driver import admin, run_cell  # noqa: E402


def wait_exit(km, timeout):
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not km.is_alive():
            return True
        time.sleep(0.05)
    return False


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    km = KernelManager(kernel_name=spec.get("kernel", "glue_pyspark"))
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    out = {"results": [], "kernel_pid": km.provisioner.pid}
    try:
        kc.wait_for_ready(timeout=60)
        for step in spec["steps"]:
            if "code" in step:
                out["results"].append(run_cell(km, kc, step))
            elif "sleep" in step:
                time.sleep(step["sleep"])
            elif "admin" in step:
                out["results"].append(admin(spec["endpoint"], step["admin"], step["path"], step.get("body")))
        ending = spec["ending"]
        if "during" in spec:
            msg_id = kc.execute(spec["during"], store_history=True, allow_stdin=False)
            if "during_until" in spec:
                # End as soon as the cell's output shows this text (e.g. the session plan,
                # printed just before CreateSession is sent).
                deadline = time.monotonic() + 60
                seen = False
                while not seen and time.monotonic() < deadline:
                    msg = kc.get_iopub_msg(timeout=60)
                    if msg["parent_header"].get("msg_id") == msg_id:
                        seen = spec["during_until"] in json.dumps(msg["content"])
                if not seen:
                    raise TimeoutError("the cell never showed %r" % spec["during_until"])
            time.sleep(spec.get("during_wait", 0.5))
        started = time.monotonic()
        result = {}
        if ending == "shutdown":
            kc.stop_channels()
            km.shutdown_kernel(now=False)
            result["exited"] = not km.is_alive()
        elif ending == "restart":
            km.restart_kernel(now=False)
            kc.wait_for_ready(timeout=60)
            result["restart_elapsed"] = time.monotonic() - started
            result["new_pid"] = km.provisioner.pid
            result["after_restart"] = run_cell(km, kc, {"code": spec.get("after_restart", "print('after restart')")})
            kc.stop_channels()
            km.shutdown_kernel(now=False)
            result["exited"] = not km.is_alive()
        else:
            os.kill(km.provisioner.pid, getattr(signal, ending))
            result["exited"] = wait_exit(km, 10)
            kc.stop_channels()
        result["elapsed"] = time.monotonic() - started
        out["ending"] = result
    except Exception as e:  # noqa: BLE001 - reported in the JSON, so the test shows what ran
        out["driver_error"] = "%s: %s" % (type(e).__name__, e)
    finally:
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - already gone
            pass
    with open(sys.argv[2], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
