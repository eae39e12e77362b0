import { homedir } from 'node:os';
import { parse, resolve, sep } from 'node:path';
import { WeirError } from '../../shared/errors';
import { insideWorkspace, isWithin, realPath, workspaceRoot } from './paths';

export interface OpenWorkspacesOptions {
  /** `weir serve --workspace DIR`: this folder is open from the start and no other may be. */
  pinned?: string | null;
  /** The user's home folder (and so every folder above it) can never be a workspace. */
  home?: string;
}

/** Virtual file systems: nothing a workspace or the folder picker has any business in. */
const SYSTEM = ['/proc', '/sys', '/dev'];

const inSystemFolder = (real: string) => sep === '/' && SYSTEM.some((s) => isWithin(s, real));

/**
 * THE one place that decides which folder the API may work in, for every shell (the browser
 * shell's HTTP server and Electron's IPC both call the same service). One workspace is open at
 * a time: the one given on the command line, or the one the user last opened through the
 * folder picker, the recent list or the sample. Every method that names a `root` must name
 * that folder, and every pipeline path must stay inside it once symbolic links are resolved.
 *
 * The workspace is also the boundary a pipeline's files are confined to, so a folder whose
 * contents would make that boundary meaningless (the file system root, the home folder or a
 * folder above it, /proc, /sys, /dev) cannot be opened at all.
 */
export class OpenWorkspaces {
  private open_: { root: string; real: string } | null = null;
  private readonly pinnedRoot: string | null;
  private readonly homeReal: string;

  constructor(opts: OpenWorkspacesOptions = {}) {
    this.homeReal = realPath(resolve(opts.home ?? homedir()));
    this.pinnedRoot = opts.pinned ? workspaceRoot(opts.pinned) : null;
    if (this.pinnedRoot) this.open(this.pinnedRoot);
  }

  /** The folder `weir serve --workspace` was started with, if any. */
  get pinned(): string | null {
    return this.pinnedRoot;
  }

  /** The open workspace as it was opened (not resolved), or null. */
  get current(): string | null {
    return this.open_?.root ?? null;
  }

  /** Refuses, with one line, a folder that may not become the open workspace. */
  checkOpen(rootIn: string): string {
    // Checked before the folder is even looked at: a pinned server says the same about every other folder.
    if (this.pinnedRoot && realPath(resolve(rootIn)) !== realPath(this.pinnedRoot)) {
      throw new WeirError('usage', `this server serves only ${this.pinnedRoot} (weir serve --workspace); start it without --workspace to open other folders`);
    }
    const root = workspaceRoot(rootIn);
    const real = realPath(root);
    if (real === parse(real).root) throw new WeirError('usage', `${root} cannot be a workspace: it is the root of the file system`);
    if (isWithin(real, this.homeReal)) throw new WeirError('usage', `${root} cannot be a workspace: it holds your home folder; choose a project folder inside it`);
    if (inSystemFolder(real)) throw new WeirError('usage', `${root} cannot be a workspace: it is a system folder`);
    return root;
  }

  /** Makes `root` the open workspace (after `checkOpen`); the one before it is closed. */
  open(rootIn: string): void {
    const root = this.checkOpen(rootIn);
    this.open_ = { root, real: realPath(root) };
  }

  /** A method's `root`: it must be the open workspace (symbolic links resolved on both sides). */
  requireRoot(root: string): void {
    if (!this.open_) throw new WeirError('usage', `no workspace is open: open ${root} first`);
    if (realPath(resolve(root)) !== this.open_.real) throw new WeirError('usage', `${root} is not the open workspace (${this.open_.root}); the designer works in one workspace at a time`);
  }

  /** A workspace-relative path of the open workspace: inside it, after symbolic links are resolved. */
  requireFile(root: string, rel: string): void {
    this.requireRoot(root);
    const abs = insideWorkspace(resolve(root), rel);
    if (!isWithin(this.open_!.real, realPath(abs))) throw new WeirError('usage', `"${rel}" leads outside the workspace ${root} (through a symbolic link)`);
  }

  /**
   * Checks what a method's input names, by field: `root`, `path` (workspace-relative) and
   * `files`. Keyed on the fields rather than on method names, so a method added to the
   * contract later is checked without anyone remembering to.
   */
  check(params: unknown): void {
    if (!params || typeof params !== 'object') return;
    const { root, path, files } = params as { root?: unknown; path?: unknown; files?: unknown };
    const named = path !== undefined || files !== undefined;
    if (typeof root !== 'string') {
      if (root !== undefined || named) throw new WeirError('usage', 'a path needs the workspace root it belongs to');
      return;
    }
    this.requireRoot(root);
    if (typeof path === 'string') this.requireFile(root, path);
    else if (path !== undefined) throw new WeirError('usage', 'path: expected a path inside the workspace');
    if (Array.isArray(files)) for (const f of files) this.requireFile(root, String(f));
    else if (files !== undefined) throw new WeirError('usage', 'files: expected paths inside the workspace');
  }

  /**
   * Where the folder picker may look: folders only (names, never file contents), no hidden
   * folders, no virtual file systems, and nowhere at all when the server serves one pinned
   * workspace. Returns the folder to list.
   */
  browsable(pathIn: string): string {
    if (this.pinnedRoot) throw new WeirError('usage', `this server serves only ${this.pinnedRoot} (weir serve --workspace): there is no other folder to choose`);
    const path = workspaceRoot(pathIn);
    const real = realPath(path);
    if (inSystemFolder(real)) throw new WeirError('usage', `${path}: system folders are not browsed`);
    if (real.split(sep).some((part) => part.startsWith('.'))) throw new WeirError('usage', `${path}: hidden folders are not browsed`);
    return path;
  }
}
