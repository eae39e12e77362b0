import type { ComponentType } from 'react';
import { lowCodeKinds } from '../../shared/nodes/lowcode';
import { LowCodeForm } from './LowCodeForm';

export interface NodeFormProps {
  nodeId: string;
  config: Record<string, unknown>;
  onChange(config: Record<string, unknown>): void;
  /** Names of the node's inputs, as its SQL refers to them. */
  inputs: readonly string[];
}

/**
 * Kinds with a form of their own. Every other kind gets the form generated from its config
 * schema (ConfigForm), which already covers the current registry; low-code nodes that show
 * the SQL they generate register here.
 */
export const customForms: Partial<Record<string, ComponentType<NodeFormProps>>> = {
  // The six low-code transforms: their form, with column pickers, and the SQL they generate.
  ...Object.fromEntries(lowCodeKinds.map((k) => [k, LowCodeForm])),
};
