/** A span of time on the timeline, in ms from the run's start. */
export interface Span {
  id: string;
  start: number;
  end: number;
}

/**
 * Packs spans into lanes so that no two in a lane overlap: each lane is what one connection
 * (one concurrently running node) did over time, so the number of lanes is the run's
 * concurrency. Greedy by start time (interval partitioning: optimal), the lowest free lane
 * first; a span that starts exactly when another ends shares its lane. Ties keep the order given.
 */
export function assignLanes(spans: readonly Span[]): { lanes: Map<string, number>; count: number } {
  const order = spans.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start || a.i - b.i);
  const laneEnds: number[] = [];
  const lanes = new Map<string, number>();
  for (const { s } of order) {
    let lane = laneEnds.findIndex((end) => end <= s.start);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = Math.max(s.end, s.start);
    lanes.set(s.id, lane);
  }
  return { lanes, count: laneEnds.length };
}
