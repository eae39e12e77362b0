import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract';
import type { ValidationIssue } from '../../../shared/errors';
import { createDispatcher, type Dispatch } from '../../api/dispatch';
import { MemorySecretStore } from '../../api/secrets';
import { createApiService, type ApiService } from '../../api/service';
import { contextFromEnvironment, createEngine, findWorkspace } from '../../engine';
import { RunEvents } from './run-events';

/** A refusal or failure a tool answers with (isError), in one line, with the issues behind it if any. */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly issues: readonly ValidationIssue[] = [],
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/**
 * The contract's refusal as the assistant can act on it: "pipeline.read input: path: ..." names
 * an API method the assistant never called, and not the path it gave.
 */
function inToolWords(method: string, input: unknown, message: string): string {
  const prefix = `${method} input: `;
  if (!message.startsWith(prefix)) return message;
  const rest = message.slice(prefix.length);
  const path = (input as { path?: unknown } | null)?.path;
  return rest.startsWith('path: ') && typeof path === 'string' ? `path ${JSON.stringify(path)}: ${rest.slice(6)}` : rest;
}

/**
 * Every value the workspace's connections could resolve to (each `${env:NAME}` of each
 * environment, and what is derived from it) and the credential variables (PGPASSWORD,
 * AWS_SECRET_ACCESS_KEY, ...) join the process's mask from the start, as for `weir audit show`:
 * the designer's service learns a value when a run or preview resolves it, but an assistant may
 * meet one before that (in a SQL literal, a row, an error). The engine made here only builds
 * that mask; nothing runs on it.
 */
function maskWorkspaceSecrets(root: string, environment: NodeJS.ProcessEnv): void {
  let file;
  try {
    file = findWorkspace(root).file;
  } catch {
    return; // a malformed weir.workspace.json: every call through the service says what is wrong with it
  }
  createEngine(contextFromEnvironment(environment)).workspaceRedactor(file);
}

/** The methods that make nodes in a preview session, which a client's cancel stops. */
const CANCELLABLE: ReadonlySet<MethodName> = new Set<MethodName>(['pipeline.preview', 'pipeline.lineage', 'pipeline.profile', 'pipeline.chart', 'pipeline.explain']);

const cancelledAnswer = () => ({ ok: false as const, error: { kind: 'cancelled' as const, message: 'cancelled by the client' } });

export interface DoorOptions {
  /** The one workspace folder served (absolute). */
  root: string;
  environment?: NodeJS.ProcessEnv;
}

/**
 * The assistant's way in: the very API service the designer and the browser shell call, pinned
 * to one workspace (so its path containment is the designer's: `..`, absolute paths and
 * symbolic links out are refused by the contract and OpenWorkspaces), called through the same
 * dispatcher (the contract's input and output checks, the process's secrets masked in errors).
 * No tool reaches the engine another way.
 */
export class Door {
  readonly root: string;
  readonly runs = new RunEvents();
  private readonly service: ApiService;
  private readonly dispatch: Dispatch;
  /**
   * The designer's own folder (recent list, sample) is a private temporary one: an assistant's
   * session leaves no trace in the user's recent list.
   */
  private readonly home: string;

  constructor(opts: DoorOptions) {
    this.home = mkdtempSync(join(tmpdir(), 'weir-mcp-'));
    this.root = opts.root;
    try {
      this.service = this.open(opts);
    } catch (e) {
      // A folder that cannot be a workspace (the file system's root, the home folder) is refused here.
      rmSync(this.home, { recursive: true, force: true });
      throw e;
    }
    this.dispatch = createDispatcher(this.service.handlers);
    maskWorkspaceSecrets(opts.root, opts.environment ?? process.env);
  }

  private open(opts: DoorOptions): ApiService {
    return createApiService({
      // The service's shell name is only what app.start reports, which the door never calls.
      shell: 'browser',
      home: this.home,
      templatesDir: null,
      secrets: new MemorySecretStore(),
      environment: opts.environment ?? process.env,
      initialWorkspace: opts.root,
      pinWorkspace: true,
      emit: <E extends EventName>(name: E, payload: EventPayload<E>) => {
        if (name === 'run.event') this.runs.push((payload as EventPayload<'run.event'>).event);
      },
    });
  }

  /** The previews asked for, one after another (see call). */
  private previews: Promise<unknown> = Promise.resolve();

  /**
   * Calls one method of the API contract; a failed call throws its one-line message as a ToolError.
   * `signal` is the client's cancel of the tool call: a preview or lineage it cancels is
   * cancelled in DuckDB (a node whose SQL never ends would otherwise hold the file's session,
   * and every later preview queued behind it, for good).
   */
  async call<M extends MethodName>(method: M, input: MethodInput<M>, signal?: AbortSignal): Promise<MethodOutput<M>> {
    if (signal?.aborted) throw new ToolError('cancelled by the client');
    // In the designer a new preview of a file cancels the one before (the user has moved on);
    // an assistant asking for several nodes at once wants every answer, so they queue instead.
    let started = false;
    const dispatch = () => {
      started = true;
      return this.dispatch(method, input);
    };
    const asked = method === 'pipeline.preview' ? this.previews.then(() => (signal?.aborted ? cancelledAnswer() : dispatch())) : dispatch();
    if (method === 'pipeline.preview') this.previews = asked.catch(() => undefined);
    const file = (input as { path?: unknown }).path;
    const onAbort = () => {
      if (started && CANCELLABLE.has(method) && typeof file === 'string') this.service.cancelPreviews(this.root, file);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const answer = await asked.finally(() => signal?.removeEventListener('abort', onAbort));
    if (answer.ok) return answer.result as MethodOutput<M>;
    throw new ToolError(inToolWords(method, input, answer.error.message), answer.error.issues ?? []);
  }

  /** Cancels runs and previews in progress and closes the workspace's sessions; resolves once no run is publishing. */
  close(): Promise<void> {
    this.service.dispose();
    rmSync(this.home, { recursive: true, force: true });
    return this.service.publishSettled();
  }
}
