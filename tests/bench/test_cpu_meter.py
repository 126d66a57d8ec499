"""The benchmarks' CPU meter: it charges a process tree for what its processes spend.

CPU time, not wall time: the child burns a fixed amount of CPU however busy the
machine is, and the idle process has finished starting before the span opens.
"""
import subprocess
import sys

from bench.common import CpuMeter

TICK = 0.01
BURN = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"


def test_a_tree_is_charged_for_the_cpu_its_children_spend():
    # A parent that lives through the span (as gunicorn's master does) and a child of it that
    # burns 0.4 s of CPU and exits within the span, reaped by the parent.
    # The parent starts the child only when told to, inside the span.
    spawn_and_wait = (f"import subprocess, sys, time\nsys.stdin.readline()\n"
                      f"subprocess.run([sys.executable, '-c', {BURN!r}])\nprint('burnt', flush=True)\ntime.sleep(30)")
    idle = subprocess.Popen([sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(30)"],
                            stdout=subprocess.PIPE, text=True)
    assert idle.stdout.readline() == "ready\n"  # its start-up is over: from here on it spends nothing
    parent = subprocess.Popen([sys.executable, "-c", spawn_and_wait], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    meter = CpuMeter(busy=parent.pid, idle=idle.pid)
    with meter.span() as used:
        parent.stdin.write("go\n")
        parent.stdin.flush()
        assert parent.stdout.readline() == "burnt\n"  # the child has exited and been reaped
    parent.stdin.close()
    for process in (parent, idle):
        process.kill()
        process.wait()
        process.stdout.close()
    # The child's 0.4 s, charged to its parent's tree: within one clock tick (10 ms), in which the
    # kernel counts CPU time (a sum of ticks came to 0.39999999999999997 once).
    assert used["busy"] >= 0.4 - TICK
    assert used["idle"] < 0.1
    assert used["machine"] >= used["busy"]
