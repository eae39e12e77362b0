import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../engine';

/** Where the designer keeps its own state: the recent list and the sample workspace. */
export function defaultWeirHome(): string {
  return process.env.WEIR_HOME || join(homedir(), '.weir');
}

const MAX_RECENT = 10;

export class RecentList {
  constructor(private readonly home: string) {}

  private get file(): string {
    return join(this.home, 'recent.json');
  }

  async read(): Promise<string[]> {
    try {
      const raw = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      const list = Array.isArray((raw as { workspaces?: unknown })?.workspaces) ? (raw as { workspaces: unknown[] }).workspaces : [];
      return list.filter((x): x is string => typeof x === 'string');
    } catch {
      return [];
    }
  }

  /** The recent folders that still exist, newest first. */
  async existing(): Promise<string[]> {
    return (await this.read()).filter((p) => existsSync(p));
  }

  async add(root: string): Promise<string[]> {
    const list = [root, ...(await this.read()).filter((p) => p !== root)].slice(0, MAX_RECENT);
    await writeFileAtomic(this.file, JSON.stringify({ workspaces: list }, null, 2) + '\n');
    return list;
  }
}
