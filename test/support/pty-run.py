# Runs a command in a pseudo-terminal (for the CLI's hidden passphrase prompt: a pipe is refused,
# so the prompt can only be tested through a real TTY). Argument: JSON {argv, env, script}, where
# script is a list of [wait_for_text, send_text] steps. Prints JSON {code, output} with everything
# the terminal showed (what the program wrote and anything the terminal echoed).
import json, os, pty, select, sys, time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    env = dict(os.environ)
    env.update(spec["env"])
    os.execvpe(spec["argv"][0], spec["argv"], env)

out = b""
deadline = time.time() + spec.get("timeout", 60)

def read_some(wait):
    global out
    r, _, _ = select.select([fd], [], [], wait)
    if not r:
        return True
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    if not chunk:
        return False
    out += chunk
    return True

alive = True
for wait_for, send in spec["script"]:
    while alive and wait_for.encode() not in out and time.time() < deadline:
        alive = read_some(0.2)
    os.write(fd, send.encode())
while alive and time.time() < deadline:
    alive = read_some(0.2)
    if alive:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            while read_some(0.1):
                pass
            break
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "output": out.decode("utf-8", "replace")}))
