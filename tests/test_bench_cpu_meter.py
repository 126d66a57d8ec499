"""The benchmarks' CPU meter: it charges a process tree for what its processes spend."""
import subprocess
import sys
import time

import pytest

from bench.common import CpuMeter

BURN = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="children's CPU time is counted on Linux only")


def test_a_tree_is_charged_for_the_cpu_its_children_spend():
    # A parent that lives through the span (as gunicorn's master does) and a child of it that
    # burns 0.4 s of CPU and exits within the span, reaped by the parent.
    spawn_and_wait = (f"import subprocess, sys, time\nsubprocess.run([sys.executable, '-c', {BURN!r}])\n"
                      "print('burnt', flush=True)\ntime.sleep(30)")
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    time.sleep(0.3)  # the idle one's start-up is over
    parent = subprocess.Popen([sys.executable, "-c", spawn_and_wait], stdout=subprocess.PIPE, text=True)
    meter = CpuMeter(busy=parent.pid, idle=idle.pid)
    with meter.span() as used:
        assert parent.stdout.readline() == "burnt\n"  # the child has exited and been reaped
    for process in (parent, idle):
        process.kill()
        process.wait()
    parent.stdout.close()
    assert used["busy"] >= 0.3          # the child's 0.4 s, charged to its parent's tree
    assert used["idle"] < 0.1
    assert used["machine"] >= used["busy"]

