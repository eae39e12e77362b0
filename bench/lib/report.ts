import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, fmtMeasure, type Measure } from './stats';
import { machineLine, type Machine } from './machine';
import type { Scale } from './args';

/** One row of the results table. */
export interface FigureRow {
  /** `1a`, `1b`, `2`, ... */
  id: string;
  figure: string;
  weir: Measure | null;
  baseline: Measure | null;
  /** What the baseline is, in a few words. */
  baselineLabel: string;
  /** weir median / baseline median. */
  ratio: number | null;
  /** Min–max of the per-run ratios when runs were paired (weir run i with baseline run i). */
  ratioSpread?: { min: number; max: number };
  target: string;
  /** null: not measured, or no target. */
  met: boolean | null;
  /** Why a figure was not measured, or what to know when reading it. */
  note?: string;
  details?: Record<string, unknown>;
}

export interface BenchReport {
  format: 'weir.bench';
  version: 1;
  startedAt: string;
  finishedAt: string;
  mode: 'quick' | 'full';
  runsPerFigure: number;
  machine: Machine;
  /** 1-minute load average when the bench ended (machine.loadAvg1m: when it started). */
  loadAvgAtEnd: number;
  scale: Scale;
  dataset: { dir: string; reused: boolean; generateMs: number; files: { path: string; rows: number; bytes: number }[] } | null;
  figures: FigureRow[];
}

export function notMeasured(id: string, figure: string, target: string, why: string): FigureRow {
  return { id, figure, weir: null, baseline: null, baselineLabel: '', ratio: null, target, met: null, note: `not measured: ${why}` };
}

/** Ratio of medians, and of each paired run when both sides ran the same number of times. */
export function ratioOf(weir: Measure, baseline: Measure): Pick<FigureRow, 'ratio' | 'ratioSpread'> {
  const ratio = weir.median / baseline.median;
  if (weir.samples.length !== baseline.samples.length || weir.samples.length < 2) return { ratio };
  const per = weir.samples.map((w, i) => w / baseline.samples[i]!);
  return { ratio, ratioSpread: { min: Math.min(...per), max: Math.max(...per) } };
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(figures: readonly FigureRow[]): string {
  const lines = ['| figure | Weir | baseline | ratio | target | met? |', '|---|---|---|---|---|---|'];
  for (const f of figures) {
    const weir = f.weir ? fmtMeasure(f.weir) : (f.note ?? '–');
    const base = f.baseline ? `${fmtMeasure(f.baseline)}${f.baselineLabel ? ` — ${f.baselineLabel}` : ''}` : '–';
    const ratio = f.ratio === null ? '–' : `${fmt(f.ratio, '')}×${f.ratioSpread ? ` (${fmt(f.ratioSpread.min, '')}–${fmt(f.ratioSpread.max, '')})` : ''}`;
    const met = f.met === null ? '–' : f.met ? 'yes' : '**no**';
    lines.push(`| ${cell(`${f.id}. ${f.figure}`)} | ${cell(weir)} | ${cell(base)} | ${cell(ratio)} | ${cell(f.target)} | ${met} |`);
  }
  return lines.join('\n');
}

/** The machine, the data and the table: what the docs show of the latest full run. */
export function markdownSummary(r: BenchReport): string {
  const s = r.scale;
  const notes = r.figures.filter((f) => f.note && f.weir).map((f) => `- ${f.id}: ${f.note}`);
  return [
    `Run ${r.startedAt} → ${r.finishedAt}${r.machine.gitCommit ? ` at commit ${r.machine.gitCommit}${r.machine.gitDirty ? ' with uncommitted changes' : ''}` : ''}.`,
    `Machine: ${machineLine(r.machine)}; load average ${r.machine.loadAvg1m} at start, ${r.loadAvgAtEnd} at the end (${r.machine.cores} cores: above that, other work shared the machine).`,
    `Data: ${s.readings.toLocaleString('en-US')} bioreactor readings, ${s.batches.toLocaleString('en-US')} batches, ${s.assays.toLocaleString('en-US')} assay results (seed ${s.seed}).`,
    `Each figure: median of ${r.runsPerFigure} runs unless noted, (min–max) after it; ratio = Weir ÷ baseline, (min–max) of the paired runs.`,
    '',
    markdownTable(r.figures),
    '',
    ...(notes.length ? ['Notes:', '', ...notes, ''] : []),
  ].join('\n');
}

export function markdownReport(r: BenchReport): string {
  return [`# Weir benchmarks (${r.mode} run)`, '', markdownSummary(r)].join('\n');
}

export function writeReport(dir: string, name: string, r: BenchReport): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `${name}.json`);
  const md = join(dir, `${name}.md`);
  writeFileSync(json, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(md, markdownReport(r));
  return { json, md };
}
