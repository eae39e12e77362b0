import type { InputSchemaDto, SqlFunctionDto } from '../../shared/api/sql-schemas';
import { WeirError } from '../../shared/errors';
import type { DocumentInput, Engine } from '../engine';
import { insideWorkspace, workspaceRoot } from './paths';
import type { PreviewSessions } from './preview-sessions';

export interface DescribeInputsRequest extends DocumentInput {
  root: string;
  path: string;
  nodeId: string;
  params?: Record<string, string | number | boolean>;
  environment?: string;
}

/**
 * What the SQL editor needs from the engine, asked in the background: the columns of a
 * node's inputs and DuckDB's function list. The inputs are made in the pipeline's warm
 * preview session (preview-sessions.ts), where a preview has usually made them already. A
 * new request for the same node cancels the one before it (the user has moved on).
 */
export class SqlAssist {
  private readonly inFlight = new Map<string, AbortController>();
  private functions: Promise<SqlFunctionDto[]> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly sessions: PreviewSessions,
  ) {}

  /** The inputs' columns, and the revision the session keeps the document under. */
  async describeInputs(req: DescribeInputsRequest): Promise<{ inputs: InputSchemaDto[]; revision: string }> {
    const file = insideWorkspace(workspaceRoot(req.root), req.path);
    const { pipeline, revision } = await this.sessions.use(file, async (session) => session.document(req));
    const node = pipeline.nodes.find((n) => n.id === req.nodeId);
    if (!node) throw new WeirError('usage', `no node with id "${req.nodeId}"`);
    const key = `${file}\0${req.nodeId}`;
    this.inFlight.get(key)?.abort();
    const controller = new AbortController();
    this.inFlight.set(key, controller);
    try {
      const out: InputSchemaDto[] = [];
      // One after another: inputs usually share their upstream, which the first one makes.
      for (const id of node.inputs) {
        const input = pipeline.nodes.find((n) => n.id === id);
        if (controller.signal.aborted) throw new WeirError('cancelled', 'describing inputs cancelled');
        try {
          const request = { pipeline, file, nodeId: id, params: req.params, environment: req.environment, signal: controller.signal };
          const schema = await this.sessions.use(file, (session) => this.engine.describeNode(request, session));
          out.push({ nodeId: id, name: schema.name, columns: schema.columns, error: null });
        } catch (e) {
          if (e instanceof WeirError && e.kind === 'cancelled') throw e;
          out.push({ nodeId: id, name: input?.name ?? id, columns: [], error: (e as Error).message.split('\n')[0] ?? 'failed' });
        }
      }
      return { inputs: out, revision };
    } finally {
      if (this.inFlight.get(key) === controller) this.inFlight.delete(key);
    }
  }

  /** Asked once per process: the list depends only on the DuckDB build. */
  listFunctions(): Promise<SqlFunctionDto[]> {
    this.functions ??= this.engine.sqlFunctions().catch((e: unknown) => {
      this.functions = null;
      throw e;
    });
    return this.functions;
  }

  cancelAll(): void {
    for (const c of this.inFlight.values()) c.abort();
  }
}
