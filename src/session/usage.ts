// What a Glue session has used, and what that costs at a given price per DPU-hour: the rows of
// %status and the one line %stop_session, shutdown and restart print. An estimate only — the
// bill is what AWS charges — computed like AWS bills sessions: per second, 1-minute minimum.
import { durationText } from '../text/time';
import type { SessionUsage } from './backend';

/** DPU-seconds billed: the 1-minute minimum applied to what GetSession reports. */
export function billedDpuSeconds(usage: SessionUsage): number | undefined {
  const { executionSeconds: t, dpuSeconds: dpu } = usage;
  if (dpu === undefined) return undefined;
  if (t !== undefined && t > 0 && t < 60) return (dpu * 60) / t;
  return dpu;
}

/** The estimated cost in US dollars, undefined when the service reported no DPU-seconds. */
export function estimatedCost(usage: SessionUsage, pricePerDpuHour: number): number | undefined {
  const billed = billedDpuSeconds(usage);
  return billed === undefined ? undefined : (billed / 3600) * pricePerDpuHour;
}

export function dollars(amount: number): string {
  return amount > 0 && amount < 0.01 ? `$${amount.toFixed(4)}` : `$${amount.toFixed(2)}`;
}

/** %status rows: running time, DPU-seconds and the estimated cost (only what is known). */
export function usageRows(usage: SessionUsage, pricePerDpuHour: number): [string, string][] {
  const rows: [string, string][] = [];
  if (usage.executionSeconds !== undefined) rows.push(['Running Time', durationText(usage.executionSeconds)]);
  if (usage.dpuSeconds !== undefined) rows.push(['DPU-seconds', usage.dpuSeconds.toFixed(1)]);
  const cost = estimatedCost(usage, pricePerDpuHour);
  if (cost !== undefined)
    rows.push([
      'Estimated Cost',
      `${dollars(cost)} (estimate at ${dollars(pricePerDpuHour)} per DPU-hour, 1-minute minimum; glue_dpu_hour_price)`,
    ]);
  return rows;
}

/** "Session abc ran 12 min 05 s: 1450.0 DPU-seconds, about $0.18 at $0.44 per DPU-hour (estimate)." */
export function usageLine(usage: SessionUsage, pricePerDpuHour: number): string {
  const ran = usage.executionSeconds !== undefined ? ` ran ${durationText(usage.executionSeconds)}` : '';
  const cost = estimatedCost(usage, pricePerDpuHour);
  if (usage.dpuSeconds === undefined || cost === undefined)
    return `Session ${usage.sessionId}${ran || ' stopped'} (the service reported no DPU-seconds).`;
  return (
    `Session ${usage.sessionId}${ran}: ${usage.dpuSeconds.toFixed(1)} DPU-seconds, ` +
    `about ${dollars(cost)} at ${dollars(pricePerDpuHour)} per DPU-hour (estimate).`
  );
}
