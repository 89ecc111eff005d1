import subprocess, time, statistics, sys
sock = sys.argv[1]
cmd = f"curl -s --unix-socket '{sock}' http://huddle/v1/health"
ts = []
for i in range(330):
    t0 = time.perf_counter_ns()
    subprocess.run(["/bin/sh", "-c", cmd], stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    if i >= 30: ts.append((time.perf_counter_ns() - t0) / 1e6)
ts.sort()
print("sh+curl health from python: median %.2f ms p99 %.2f" % (statistics.median(ts), ts[int(len(ts)*0.99)]))
ts = []
for i in range(330):
    t0 = time.perf_counter_ns()
    subprocess.run(["/bin/sh", "-c", "exit 0"])
    if i >= 30: ts.append((time.perf_counter_ns() - t0) / 1e6)
ts.sort()
print("sh alone from python: median %.2f ms" % statistics.median(ts))
