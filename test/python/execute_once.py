"""Starts a kernelspec with jupyter_client, executes code, prints {"status", "stdout", "argv"} as JSON."""
import json
import sys

from jupyter_client.manager import start_new_kernel

km, kc = start_new_kernel(kernel_name=sys.argv[1], startup_timeout=60)
try:
    chunks = []
    reply = kc.execute_interactive(sys.argv[2], timeout=120,
                                   output_hook=lambda m: chunks.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
    print(json.dumps({"status": reply["content"]["status"], "stdout": "".join(chunks), "argv": km.kernel_spec.argv}))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
