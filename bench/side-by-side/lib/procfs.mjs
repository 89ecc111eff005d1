// What /proc says about a process: CPU, memory, and finding the hub of a home.
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime + stime (fields 14, 15)
  } catch { return NaN; }
}

export function memory(pid) {
  const out = { rssMb: NaN, pssMb: NaN, privateMb: NaN };
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    out.rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
    const roll = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(roll)?.[1] ?? NaN);
    out.pssMb = kb('Pss') / 1024;
    out.privateMb = (kb('Private_Clean') + kb('Private_Dirty')) / 1024;
  } catch { /* gone */ }
  return out;
}

export const load1 = () => os.loadavg()[0];

// The hub serving HUDDLE_HOME=home: a java running `hub run` with that home in its environment.
export function findHub(home) {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      const i = cmd.indexOf('hub');
      if (i < 0 || cmd[i + 1] !== 'run' || !cmd.includes('-jar')) continue;
      const env = readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
      if (env.includes(`HUDDLE_HOME=${home}`)) return Number(d);
    } catch { /* gone, or not ours to read */ }
  }
  return null;
}
