"""The README's curl walk (scripts/demo-walk) runs as written against a demo server."""
import os, subprocess
import qd

srv = qd.Server.demo()
env = dict(os.environ, QD_API=f"http://127.0.0.1:{srv.port}/api/v1")
r = subprocess.run([os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "demo-walk")],
                   capture_output=True, text=True, timeout=120, env=env)
qd.ok(r.returncode == 0, "scripts/demo-walk completes every step", r.stdout[-2000:] + r.stderr[-2000:])
out = r.stdout.splitlines()
qd.ok("signed_off" in out, "the walk ends with the task signed off", r.stdout[-800:])
qd.ok(any(l.startswith("task.sign_off") for l in out), "the history shows the sign-off", r.stdout[-800:])
qd.ok("13800001234" not in r.stdout, "the resident's phone never appears in the walk's output")
qd.done()
