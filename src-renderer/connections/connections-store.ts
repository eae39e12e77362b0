import { create } from 'zustand';
import type { ConnectionsInfoDto, ConnectionTestResultDto } from '../../shared/api/connection-schemas';

/** The Connections panel: what weir.workspace.json holds, and the last test of each connection. */
interface ConnectionsState {
  info: ConnectionsInfoDto | null;
  loading: boolean;
  error: string | null;
  /** The environment whose connections are listed. */
  viewing: string | null;
  /** `${env}/${name}` → the last test (or `testing`). */
  tests: Record<string, ConnectionTestResultDto | 'testing'>;
  /** The connection being edited: `new`, or its name; null when the form is closed. */
  editing: string | null;
  set(patch: Partial<Omit<ConnectionsState, 'set'>>): void;
}

export const useConnections = create<ConnectionsState>()((set) => ({
  info: null,
  loading: false,
  error: null,
  viewing: null,
  tests: {},
  editing: null,
  set: (patch) => set(patch),
}));

export const testKey = (env: string, name: string) => `${env}/${name}`;
