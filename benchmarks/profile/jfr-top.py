#!/usr/bin/env python3
"""Aggregates JFR execution samples of chosen threads: where the time goes, self and inclusive.

  jfr print --json --events jdk.ExecutionSample rec.jfr > rec.json
  python3 benchmarks/profile/jfr-top.py rec.json THREAD_SUBSTRING [TOP]

Self: the sample's top frame (leaf method). Inclusive: samples with the method anywhere on the stack
(each method counted once per sample). Also groups the inclusive time by the buckets below.
"""
import collections
import json
import sys

# Inclusive buckets: the first matching (class substring, method) on a stack, checked in this order.
BUCKETS = [
    ("state codec: encode", "io/driftwatch/scoring/engine/StateCodec", "encode"),
    ("state codec: decode", "io/driftwatch/scoring/engine/StateCodec", "decode"),
    ("event JSON decode", "io/driftwatch/contract/EventCodec", None),
    ("score/alert/span record JSON encode", "io/driftwatch/streams/serde/JsonSerde", None),
    ("attribution matcher", "io/driftwatch/attribution/", None),
    ("scoring engine (scorers, segmentation)", "io/driftwatch/scoring/", None),
    ("RocksDB / state store", "org/rocksdb/", None),
    ("state store cache and changelog", "org/apache/kafka/streams/state/internals", None),
    ("Kafka producer send", "org/apache/kafka/clients/producer", None),
    ("Kafka consumer poll", "org/apache/kafka/clients/consumer", None),
]


def frame_name(f):
    m = f["method"]
    return m["type"]["name"] + "." + m["name"]


def main():
    path, thread = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    events = json.load(open(path))["recording"]["events"]
    self_counts = collections.Counter()
    incl = collections.Counter()
    buckets = collections.Counter()
    n = 0
    for e in events:
        t = e["values"]["sampledThread"]
        name = (t.get("javaName") or t.get("osName") or "")
        if thread not in name:
            continue
        frames = e["values"]["stackTrace"]["frames"]
        if not frames:
            continue
        n += 1
        names = [frame_name(f) for f in frames]
        self_counts[names[0]] += 1
        for m in set(names):
            incl[m] += 1
        bucket = "other (Kafka Streams loop, JDK)"
        for label, cls, method in BUCKETS:
            if any(cls in x and (method is None or x.endswith("." + method)) for x in names):
                bucket = label
                break
        buckets[bucket] += 1
    print(f"{n} samples on threads matching '{thread}'\n")
    print("by part (inclusive, each sample in the first part that matches, in this order):")
    for label, _, _ in BUCKETS + [("other (Kafka Streams loop, JDK)", None, None)]:
        if buckets[label]:
            print(f"  {100.0 * buckets[label] / n:5.1f}%  {label}")
    print(f"\ntop {top} methods, self:")
    for m, c in self_counts.most_common(top):
        print(f"  {100.0 * c / n:5.1f}%  {m}")
    print(f"\ntop {top} methods, inclusive:")
    for m, c in incl.most_common(top):
        print(f"  {100.0 * c / n:5.1f}%  {m}")


if __name__ == "__main__":
    main()
