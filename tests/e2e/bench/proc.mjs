// Reads /proc: the processes of one app (itself and every descendant, i.e. WebKitWebProcess and
// WebKitNetworkProcess), their proportional set size, and how long ago a process started.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it are split from its ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), startTicks: Number(rest[19]) };
  } catch {
    return null;
  }
}

function allPids() {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
}

/** `root` and all of its descendants that are still alive. */
export function processTree(root) {
  const parents = new Map();
  for (const pid of allPids()) {
    const s = stat(pid);
    if (s) parents.set(pid, s.ppid);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/** PSS in kB of one process from smaps_rollup (0 when it is gone or unreadable). */
export function pssKb(pid) {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The command names and summed PSS (kB) of a process tree. */
export function treePss(root) {
  const pids = processTree(root);
  const parts = pids.map((pid) => {
    let name = '?';
    try {
      name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      // gone between the scan and the read: counts as 0
    }
    return { pid, name, pss: pssKb(pid) };
  });
  return { totalKb: parts.reduce((sum, p) => sum + p.pss, 0), parts };
}

/** Live pids whose executable is `exe` (an absolute path). */
export function pidsOf(exe) {
  return allPids().filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`) === exe;
    } catch {
      return false;
    }
  });
}

const CLOCK_TICKS = 100; // USER_HZ on Linux x86_64: /proc/<pid>/stat counts start time in 1/100 s

/** Seconds since `pid` started, on the same clock as its start time (resolution 10 ms). */
export function secondsSinceStart(pid) {
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const s = stat(pid);
  if (!s) throw new Error(`process ${pid} is gone`);
  return uptime - s.startTicks / CLOCK_TICKS;
}
