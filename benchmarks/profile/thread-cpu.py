#!/usr/bin/env python3
"""Prints, every half second until the process ends, how much of a core each thread group of a JVM used.

  python3 benchmarks/profile/thread-cpu.py PID > threads.log

Reads /proc/PID/task/*/stat (user + system time) and groups threads by their kernel name (the first 15
characters of the Java thread name: "C2 CompilerThre", "bench-chunked-l", "data-plane-kafk", ...). Each
line: seconds since start, the whole process in % of one core, then the six busiest groups. Unlike JFR's
execution samples it sees the JIT compiler and GC threads, which run no Java code.
"""
import collections
import os
import sys
import time

INTERVAL = 0.5


def main():
    pid = sys.argv[1]
    ticks = os.sysconf("SC_CLK_TCK")
    previous = {}
    start = time.time()
    while os.path.exists("/proc/%s" % pid):
        current = {}
        for tid in os.listdir("/proc/%s/task" % pid):
            try:
                name = open("/proc/%s/task/%s/comm" % (pid, tid)).read().strip()
                stat = open("/proc/%s/task/%s/stat" % (pid, tid)).read()
            except OSError:
                continue  # the thread ended meanwhile
            fields = stat[stat.rfind(")") + 2:].split()
            current[tid] = (name, int(fields[11]) + int(fields[12]))  # utime, stime (fields 14, 15)
        used = collections.Counter()
        for tid, (name, cpu) in current.items():
            if tid in previous:
                used[name] += cpu - previous[tid][1]
        previous = current
        total = sum(used.values())
        if total > 0:
            percent = lambda t: 100 * t / ticks / INTERVAL
            print("%6.1f total %3d%% | " % (time.time() - start, percent(total))
                  + " ".join("%s:%d" % (name, percent(t)) for name, t in used.most_common(6)), flush=True)
        time.sleep(INTERVAL)


if __name__ == "__main__":
    main()
