import { notMeasured, type FigureRow } from '../lib/report';
import type { BenchContext } from './context';

export async function canvasFigure(_ctx: BenchContext): Promise<FigureRow[]> {
  return [notMeasured('7', 'canvas with 1000 nodes', 'load < 1 s, frames p95 < 16 ms', '`weir serve` does not exist yet')];
}
