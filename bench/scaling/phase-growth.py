#!/usr/bin/env python3
"""How each phase of a scheduling cycle grows with nodes, pods and churn.

Runs `kai bench` on mixed clusters (35 pods per node, of which 5 pending; 300 queues) of growing size, and on
one size with growing churn, and prints a Markdown table of the first cycle, the steady cycle (median after the
first; elapsed and processor time) and each phase's steady median (elapsed), the status written after a cycle,
peak working set and bytes per pod. Times in milliseconds.

    dotnet build -c Release src/Kai.Cli
    python3 bench/scaling/phase-growth.py --kai src/Kai.Cli/bin/Release/net10.0/kai [--nodes 100,200,400] [--churn 0,0.01,0.05] [--cycles 4] [--actions allocate]
"""
import argparse
import json
import subprocess
import sys


def bench(kai, nodes, churn, cycles, actions):
    args = [kai, "bench", "--nodes", str(nodes), "--pods", str(35 * nodes), "--pending-pods", str(5 * nodes),
            "--cycles", str(cycles), "--churn", str(churn), "--output", "json"]
    if actions:
        args += ["--actions", actions]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def row(d):
    phases = d["steadyPhaseMs"]
    cells = [f"{d['nodes']:,}", f"{d['pods']:,}", f"{d['churn']:.0%}" if d["churn"] >= 0.01 or d["churn"] == 0 else f"{d['churn']:.1%}",
             f"{d['firstCycleMs']:,.0f}", f"**{d['steadyCycleMs']:,.0f}**", f"{d['steadyCycleCpuMs']:,.0f}"]
    for name in ["sync", "snapshot", "allocate", "consolidation", "reclaim", "preempt", "stalegangeviction", "writeBack"]:
        cells.append(f"{phases.get(name, 0):,.0f}")
    cells += [f"{d['statusMs']:,.0f}", f"{d['peakWorkingSetBytes'] / 1048576:,.0f} MB", f"{d['bytesPerPod']:,}"]
    return "| " + " | ".join(cells) + " |"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kai", required=True, help="path to the kai executable (Release build)")
    parser.add_argument("--nodes", default="100,200,400", help="node counts for the size series (churn 1 %%)")
    parser.add_argument("--churn", default="0,0.01,0.05", help="churn shares for the churn series (first node count)")
    parser.add_argument("--cycles", type=int, default=4)
    parser.add_argument("--actions", default="", help="comma-separated actions to run (default: all), e.g. allocate to follow the non-disruptive path at sizes where the victim search takes minutes")
    a = parser.parse_args()
    sizes = [int(n) for n in a.nodes.split(",")]
    print("| nodes | pods | churn | first cycle | steady cycle | steady, processor time | sync | snapshot | allocate | consolidation | reclaim | preempt | stale gangs | write-back | status after | peak working set | bytes per pod |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    runs = [(n, 0.01) for n in sizes] + [(sizes[0], float(c)) for c in a.churn.split(",") if float(c) != 0.01]
    for nodes, churn in runs:
        print(row(bench(a.kai, nodes, churn, a.cycles, a.actions)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
