#!/usr/bin/env python3
"""Backup and restore throughput over SSH: Ringplan's `tar` module against OpenSSH + GNU tar.

Usage: bench/backup_throughput.py [--runs N] [--mb 1024] [--only backup,restore]
        [--compressions none,zstd,gzip]

A fake node (127.0.0.1 through the private sshd, two data directories) holds a snapshot of
SSTable-like files: per SSTable a Data.db (half of them random bytes, standing for LZ4-compressed
data, half CSV-like text, standing for compressible data) and the small components Cassandra
writes beside it. Backup: the snapshot into controller storage, by
  - Ringplan: a plan with one `tar` task (compression none, zstd level 1, gzip level 6),
  - `ssh host tar cf - ... > file`, `ssh host 'tar cf - ... | zstd -1' > file`,
    `ssh host 'tar czf - ...' > file`,
  - the floor `ssh host cat FILES > /dev/null` (reading and moving the bytes, nothing else).
Every archive written on the controller is fsynced before its timing ends (Ringplan does, the
shell commands are followed by `sync FILE`). Ringplan also hashes every file (SHA-256 manifest).
Restore: the archives back onto the node under a fresh directory, by Ringplan's `tar action:
extract` (checks every file's SHA-256) and `ssh host 'tar xf - -C DIR' < file` (+ `zstd -d`
for zstd), floor `ssh host 'cat > /dev/null' < file`.
Ringplan's figures are the whole command (JVM start, SSH login included) and, in brackets, the
task's own duration from its --report-json.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B  # noqa: E402

TAG = "bench"
TABLES = [("ks1", "users"), ("ks1", "events"), ("ks2", "metrics"), ("ks2", "audit")]
TEXT_LINE = "%08d,user_%d,%s,%.4f,2026-11-%02d\n"


def make_snapshot(data_dirs, total_mb):
    """SSTables of ~64 MB each spread over the tables and both data directories; returns the
    file list (absolute paths) and their total size in bytes."""
    import random
    rnd = random.Random(12)
    # one text block reused (with a varying prefix per file) keeps generation fast
    text = "".join(TEXT_LINE % (n, rnd.randrange(100000), rnd.choice(["active", "inactive"]),
                                rnd.random() * 1000, 1 + rnd.randrange(28)) for n in range(240000)).encode()
    sstable_mb = 64
    count = max(2, total_mb // sstable_mb)
    files = []
    for i in range(count):
        dd = data_dirs[i % len(data_dirs)]
        ks, t = TABLES[i % len(TABLES)]
        d = os.path.join(dd, ks, "%s-0123456789abcdef0123456789abcd%02d" % (t, TABLES.index((ks, t))),
                         "snapshots", TAG)
        os.makedirs(d, exist_ok=True)
        gen = i + 1
        data = os.path.join(d, "nb-%d-big-Data.db" % gen)
        with open(data, "wb") as f:
            if i % 2 == 0:
                f.write(os.urandom(sstable_mb << 20))
            else:
                left = sstable_mb << 20
                k = 0
                while left > 0:
                    chunk = (b"%d:" % (gen * 1000 + k)) + text
                    f.write(chunk[:left])
                    left -= min(left, len(chunk))
                    k += 1
        files.append(data)
        for comp, size in [("Index.db", 400000), ("Summary.db", 2000), ("Filter.db", 20000),
                           ("Statistics.db", 6000), ("CompressionInfo.db", 4000)]:
            p = os.path.join(d, "nb-%d-big-%s" % (gen, comp))
            with open(p, "wb") as f:
                f.write(os.urandom(size))
            files.append(p)
        for comp, body in [("Digest.crc32", b"1234567890"), ("TOC.txt", b"Data.db\nIndex.db\nTOC.txt\n")]:
            p = os.path.join(d, "nb-%d-big-%s" % (gen, comp))
            open(p, "wb").write(body)
            files.append(p)
    for dd in data_dirs:
        for ks, t in TABLES:
            d = os.path.join(dd, ks, "%s-0123456789abcdef0123456789abcd%02d" % (t, TABLES.index((ks, t))),
                             "snapshots", TAG)
            if os.path.isdir(d):
                open(os.path.join(d, "manifest.json"), "w").write('{"files": []}\n')
                open(os.path.join(d, "schema.cql"), "w").write(
                    "CREATE TABLE IF NOT EXISTS %s.%s (id int PRIMARY KEY, v text);\n" % (ks, t))
                files += [os.path.join(d, "manifest.json"), os.path.join(d, "schema.cql")]
    return files, sum(os.path.getsize(f) for f in files)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("--only", default="backup,restore")
    ap.add_argument("--compressions", default="none,zstd,gzip")
    a = ap.parse_args()
    B.install_peers()
    B.build_ringplan()
    tmp = B.workdir("throughput")
    sshd = B.Sshd(tmp).start()
    node = os.path.join(tmp, "node")
    data_dirs = [os.path.join(node, "data1"), os.path.join(node, "data2")]
    B.log("writing a %d MB snapshot" % a.mb)
    files, total = make_snapshot(data_dirs, a.mb)
    mb = total / 1e6
    B.log("%d files, %.0f MB" % (len(files), mb))
    inv = os.path.join(tmp, "inventory.yaml")
    hv = dict(B.ssh_vars(sshd), ansible_host=B.ADDRESSES[0], cassandra_data_dirs=data_dirs, tokens=["0"])
    open(inv, "w").write(json.dumps({"all": {"hosts": {"node1": hv}}}))
    store = os.path.join(tmp, "store")
    renv = B.ringplan_env(tmp)
    logf = os.path.join(tmp, "out.log")
    ssh = sshd.ssh_argv(B.ADDRESSES[0])
    q = lambda argv: " ".join("'%s'" % s.replace("'", "'\\''") for s in argv)
    # paths relative to each data directory, for GNU tar's -C DIR PATHS...
    rel = []
    for dd in data_dirs:
        mine = [os.path.relpath(f, dd) for f in files if f.startswith(dd + "/")]
        rel += ["-C", dd] + mine

    def ringplan(plan_body, name):
        plan = os.path.join(tmp, name + ".yaml")
        open(plan, "w").write(plan_body)
        report = os.path.join(tmp, "report.json")

        def run():
            s = B.measure([B.RINGPLAN, "run", plan, "-i", inv, "--report-json", report], cwd=tmp, env=renv,
                          logfile=logf)
            res = json.load(open(report))["results"]
            s.task = sum(r.get("duration_ms", 0) for r in res) / 1000.0
            return s
        return run

    def shell(cmd):
        return lambda: B.measure(["sh", "-c", cmd], cwd=tmp, logfile=logf)

    def fresh(path):
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)

    results = []
    if "backup" in a.only:
        cases = []
        for comp in a.compressions.split(","):
            dest = os.path.join(store, "rp-" + comp)
            body = ("name: tar-%s\nhosts: node1\ntasks:\n  - id: archive\n    tar:\n      snapshot: %s\n"
                    "      dest: %s\n      compression: %s\n" % (comp, TAG, dest, comp))
            cases.append(("ringplan tar, %s" % comp, ringplan(body, "backup-" + comp)))
        out = os.path.join(store, "peer")
        # ssh joins its arguments into one string the remote shell parses again: quote twice
        remote = lambda argv: q([q(argv)])
        peer = {"none": ("ssh tar cf - > file", "%s %s > %s/b.tar && sync %s/b.tar"
                         % (q(ssh), remote(["tar", "cf", "-"] + rel), out, out)),
                "zstd": ("ssh 'tar cf - | zstd -1' > file", "%s %s > %s/b.tar.zst && sync %s/b.tar.zst"
                         % (q(ssh), q([q(["tar", "cf", "-"] + rel) + " | zstd -1 -q"]), out, out)),
                "gzip": ("ssh 'tar czf -' > file", "%s %s > %s/b.tar.gz && sync %s/b.tar.gz"
                         % (q(ssh), remote(["tar", "czf", "-"] + rel), out, out))}
        for comp in a.compressions.split(","):
            cases.append((peer[comp][0], shell(peer[comp][1])))
        cases.append(("floor: ssh cat FILES > /dev/null", shell("%s %s > /dev/null" % (q(ssh), remote(["cat"] + files)))))

        def between():
            for comp in a.compressions.split(","):
                fresh(os.path.join(store, "rp-" + comp))
            fresh(out)
        B.log("backup")
        res = B.alternate(a.runs, cases, between=between)
        results.append(("backup", res))
    if "restore" in a.only:
        B.log("archives to restore from (one Ringplan backup per compression)")
        cases = []
        target = os.path.join(node, "restore")
        for comp in a.compressions.split(","):
            dest = os.path.join(store, "src-" + comp)
            fresh(dest)
            body = ("name: tar-%s\nhosts: node1\ntasks:\n  - id: archive\n    tar:\n      snapshot: %s\n"
                    "      dest: %s\n      compression: %s\n" % (comp, TAG, dest, comp))
            ringplan(body, "src-" + comp)()
            ext = {"none": ".tar", "zstd": ".tar.zst", "gzip": ".tar.gz"}[comp]
            archive = os.path.join(dest, "node1" + ext)
            body = ("name: restore-%s\nhosts: node1\ntasks:\n  - id: extract\n    tar:\n      action: extract\n"
                    "      src: %s\n      target_dir: %s/rp\n" % (comp, archive, target))
            cases.append(("ringplan tar extract, %s" % comp, ringplan(body, "restore-" + comp)))
            unpack = {"none": "tar xf - -C %s/peer", "zstd": "zstd -dc | tar xf - -C %s/peer",
                      "gzip": "tar xzf - -C %s/peer"}[comp] % target
            cases.append(("ssh '%s' < file" % unpack.split(" -C")[0], shell("%s %s < %s" % (q(ssh), q([unpack]), archive))))
        cases.append(("floor: ssh 'cat > /dev/null' < file",
                      shell("%s 'cat > /dev/null' < %s" % (q(ssh), os.path.join(store, "src-none", "node1.tar")))))

        def between():
            fresh(os.path.join(target, "rp"))
            fresh(os.path.join(target, "peer"))
        B.log("restore")
        res = B.alternate(a.runs, cases, between=between)
        results.append(("restore", res))

    B.header("Backup and restore throughput over SSH: %.0f MB in %d files, 1 node, 2 data directories"
             % (mb, len(files)), a.runs)
    for what, res in results:
        names = list(res)
        rows = []
        floor = B.med([s.wall for s in res[names[-1]]])
        zpipe = [n for n in names if "zstd" in n and not n.startswith("ringplan")]
        zpipe = B.med([s.wall for s in res[zpipe[0]]]) if zpipe else None
        for n in names:
            w = [s.wall for s in res[n]]
            task = ""
            if res[n][0].task is not None:
                t = B.med([s.task for s in res[n]])
                task = "%.2f s, %.0f MB/s" % (t, mb / t) if t else ""
            rows.append([n, B.fmt_stats(w), "%.0f" % (mb / B.med(w)), task, "%.2f" % B.med([s.cpu for s in res[n]]),
                         "%.2f×" % (floor / B.med(w)), "%.2f×" % (zpipe / B.med(w)) if zpipe else ""])
        print("### %s\n" % what)
        B.table(["how", "wall s, median (min–max)", "MB/s (wall)", "Ringplan task only", "CPU s of the controller side (the node side is not counted)",
                 "speed vs the cat floor", "speed vs the zstd pipe"], rows)
    print("load average at the end: %s" % " ".join(B.load()))


if __name__ == "__main__":
    main()
