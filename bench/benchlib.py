"""Shared pieces of the benchmarks in bench/: installing the peers, a private OpenSSH server,
an Ansible configuration that touches nothing outside a temporary directory, timing of child
processes (wall, CPU, peak RSS) and the result table.

Nothing here writes outside the benchmark's temporary directory except the Debian packages it
installs (ansible, openssh-server, openssh-client, zstd) when they are missing. The user's ~/.ssh
is neither read nor written: keys, known_hosts and the ssh multiplexing sockets live in the
temporary directory, and the server is stopped when the benchmark ends (also on Ctrl-C).
"""
import atexit
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RINGPLAN = os.path.join(ROOT, "ringplan")
PORT = int(os.environ.get("RINGPLAN_BENCH_PORT", "2222"))
# 127.0.0.1 is the one-host case; 127.0.0.2-11 the ten hosts.
ADDRESSES = ["127.0.0.%d" % i for i in range(1, 12)]
PACKAGES = {"ansible-playbook": "ansible", "sshd": "openssh-server", "ssh": "openssh-client",
            "zstd": "zstd", "tar": "tar"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def install_peers():
    """apt-get install the peers that are missing (needs root or sudo)."""
    missing = sorted({pkg for exe, pkg in PACKAGES.items()
                      if not shutil.which(exe) and not os.path.exists("/usr/sbin/" + exe)})
    if not missing:
        return
    log("installing %s with apt-get" % " ".join(missing))
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-q", "--no-install-recommends"] + missing,
                   check=True, env=env, stdout=subprocess.DEVNULL)


def build_ringplan():
    """Builds the CLI through the launcher (it builds only when sources changed)."""
    subprocess.run([RINGPLAN, "--version"], check=True, stdout=subprocess.DEVNULL)


def workdir(name):
    """A fresh temporary directory, removed at exit unless RINGPLAN_BENCH_KEEP is set."""
    d = tempfile.mkdtemp(prefix="ringplan-bench-%s." % name)
    if not os.environ.get("RINGPLAN_BENCH_KEEP"):
        atexit.register(shutil.rmtree, d, True)
    return d


class Sshd:
    """A private sshd on ADDRESSES port 2222, root login with a generated key only."""

    def __init__(self, tmp):
        self.dir = os.path.join(tmp, "ssh")
        os.makedirs(self.dir)
        self.key = os.path.join(self.dir, "id_ed25519")
        self.known_hosts = os.path.join(self.dir, "known_hosts")
        self.control_dir = os.path.join(self.dir, "cp")
        os.makedirs(self.control_dir)
        self.proc = None

    def start(self):
        d = self.dir
        keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", ""]
        subprocess.run(keygen + ["-f", d + "/host_ed25519"], check=True)
        subprocess.run(keygen + ["-f", self.key], check=True)
        shutil.copy(self.key + ".pub", d + "/authorized_keys")
        host_pub = open(d + "/host_ed25519.pub").read().split()
        with open(self.known_hosts, "w") as f:
            for a in ADDRESSES:
                f.write("[%s]:%d %s %s\n" % (a, PORT, host_pub[0], host_pub[1]))
        # SetEnv SHLVL=1: Debian's bash sources ~/.bashrc for every `ssh host cmd` otherwise
        # (root's may run pyenv init, ~100 ms); both tools run under the same setting.
        cfg = ["Port %d" % PORT] + ["ListenAddress %s" % a for a in ADDRESSES] + [
            "HostKey %s/host_ed25519" % d, "AuthorizedKeysFile %s/authorized_keys" % d,
            "PidFile %s/sshd.pid" % d, "StrictModes no", "PermitRootLogin prohibit-password",
            "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
            "SetEnv SHLVL=1", "Subsystem sftp internal-sftp", "MaxSessions 200",
            "MaxStartups 200:30:400", "PrintMotd no"]
        with open(d + "/sshd_config", "w") as f:
            f.write("\n".join(cfg) + "\n")
        os.makedirs("/run/sshd", exist_ok=True)
        self.proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-f", d + "/sshd_config", "-E", d + "/sshd.log"])
        atexit.register(self.stop)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        for _ in range(100):
            if subprocess.run(self.ssh_argv(ADDRESSES[-1], "true"), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0:
                return self
            time.sleep(0.1)
        raise SystemExit("sshd did not come up; see %s/sshd.log" % d)

    def ssh_argv(self, address, *cmd, mux=False):
        """argv of OpenSSH's client to this server, private key and known_hosts, no user config."""
        argv = ["ssh", "-F", "/dev/null", "-p", str(PORT), "-i", self.key, "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + self.known_hosts, "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes"]
        if mux:
            argv += ["-o", "ControlMaster=auto", "-o", "ControlPersist=60s",
                     "-o", "ControlPath=%s/%%h" % self.control_dir]
        return argv + ["root@" + address] + list(cmd)

    def close_masters(self):
        """Ends the OpenSSH multiplexing masters, so every timed run starts without a connection."""
        for s in os.listdir(self.control_dir):
            subprocess.run(["ssh", "-F", "/dev/null", "-o", "ControlPath=" + os.path.join(self.control_dir, s),
                            "-O", "exit", "x"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.close_masters()
            self.proc.terminate()
            self.proc.wait(10)


def ssh_vars(sshd):
    """Inventory variables both tools read for the SSH hosts."""
    return {"ansible_user": "root", "ansible_port": PORT, "ansible_ssh_private_key_file": sshd.key,
            "ringplan_known_hosts": sshd.known_hosts}


def ansible_env(tmp, sshd=None, forks=10):
    """Environment for ansible-playbook: a private ansible.cfg (pipelining, ControlPersist,
    the private known_hosts and control sockets), no retry files, no fact gathering."""
    cfg = os.path.join(tmp, "ansible.cfg")
    ssh_args = "-F /dev/null -o ControlMaster=auto -o ControlPersist=60s -o IdentitiesOnly=yes"
    if sshd:
        ssh_args += " -o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes" % sshd.known_hosts
    with open(cfg, "w") as f:
        f.write("[defaults]\nforks = %d\ngathering = explicit\ninterpreter_python = /usr/bin/python3\n"
                "retry_files_enabled = False\nlocal_tmp = %s/ansible-local\nhost_key_checking = True\n"
                "[ssh_connection]\npipelining = True\nssh_args = %s\ncontrol_path_dir = %s\n"
                % (forks, tmp, ssh_args, sshd.control_dir if sshd else tmp + "/cp"))
    return dict(os.environ, ANSIBLE_CONFIG=cfg, ANSIBLE_HOME=os.path.join(tmp, "ansible-home"),
                ANSIBLE_NOCOLOR="1")


def ringplan_env(tmp):
    env = dict(os.environ)
    env.pop("CI", None)
    return env


class Sample:
    __slots__ = ("wall", "cpu", "rss_mb", "task")

    def __init__(self, wall, cpu, rss_mb):
        self.wall, self.cpu, self.rss_mb, self.task = wall, cpu, rss_mb, None


def measure(argv, cwd=None, env=None, logfile=None, ok_codes=(0,)):
    """Runs argv once; returns its wall time (s), CPU time of it and every descendant it waited
    for (user + system, s) and its largest resident set (MB, of the largest single process)."""
    out = open(logfile, "ab") if logfile else subprocess.DEVNULL
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if logfile:
        out.close()
    if p.returncode not in ok_codes:
        tail = open(logfile, errors="replace").read()[-3000:] if logfile else ""
        raise SystemExit("failed (exit %d): %s\n%s" % (p.returncode, " ".join(argv), tail))
    return Sample(wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0)


def alternate(runs, contestants, between=None):
    """Runs each (name, fn) of contestants in turn, `runs` rounds, fn returning a Sample; the
    order alternates each round so neither tool always runs first. Returns {name: [Sample]}."""
    res = {name: [] for name, _ in contestants}
    for r in range(runs):
        order = contestants if r % 2 == 0 else list(reversed(contestants))
        for name, fn in order:
            if between:
                between()
            s = fn()
            res[name].append(s)
            log("  round %d %-34s %7.3f s wall %7.3f s cpu %6.0f MB" % (r + 1, name, s.wall, s.cpu, s.rss_mb))
    return res


def med(xs):
    return statistics.median(xs)


def load():
    return open("/proc/loadavg").read().split()[:3]


def machine():
    cores = os.cpu_count()
    mem = int(open("/proc/meminfo").readline().split()[1]) // 1024 // 1024
    model = ""
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return "%d cores (%s), %d GB memory" % (cores, model, mem)


def header(title, runs):
    print("## %s" % title)
    print()
    print("%s, %s, load average at start %s, %d alternating rounds"
          % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), machine(), " ".join(load()), runs))
    print()


def table(columns, rows):
    """Prints a Markdown table."""
    print("| " + " | ".join(columns) + " |")
    print("|" + "|".join("---" for _ in columns) + "|")
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")
    print()
    sys.stdout.flush()


def fmt_stats(xs, scale=1.0, digits=2):
    """'median (min–max)' of xs times scale."""
    f = "%%.%df" % digits
    return "%s (%s–%s)" % (f % (med(xs) * scale), f % (min(xs) * scale), f % (max(xs) * scale))
