import { notMeasured, type FigureRow } from '../lib/report';
import type { BenchContext } from './context';

export async function postgresFigure(_ctx: BenchContext): Promise<FigureRow[]> {
  return [notMeasured('4', 'PostgreSQL publish rows/s', '≥ 0.8× and flat memory', 'bench/postgres-publish.ts does not exist yet')];
}
