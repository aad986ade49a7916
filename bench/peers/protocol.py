"""protocol.py - the JSON-lines peer protocol of bench/suite.ts, for Python peers.

A peer script calls serve(info, prepare) after its imports succeeded (or skip(reason) when they did
not). prepare(case_id, params) builds the inputs and returns (step, check): step() runs the timed
workload once and returns optional metrics (a dict) or None; check is a dict of numbers compared
with the reference contender.
"""
import json
import sys
import time


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def skip(reason):
    send({"ok": False, "skip": reason})
    sys.exit(0)


def serve(info, prepare):
    send({"ok": True, "info": info})
    step = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        op = req.get("op")
        try:
            if op == "quit":
                break
            if op == "prepare":
                got = prepare(req["case"], req.get("params", {}))
                if isinstance(got, str):
                    send({"ok": False, "skip": got})
                    continue
                step, check = got
                send({"ok": True, "check": check})
            elif op == "time":
                times, metrics = [], None
                for _ in range(int(req["reps"])):
                    t0 = time.perf_counter()
                    metrics = step()
                    times.append((time.perf_counter() - t0) * 1e3)
                reply = {"ok": True, "timesMs": times}
                if metrics:
                    reply["metrics"] = metrics
                send(reply)
            else:
                send({"ok": False, "error": "unknown op %r" % op})
        except Exception as e:  # report, keep serving
            send({"ok": False, "error": "%s: %s" % (type(e).__name__, e)})
