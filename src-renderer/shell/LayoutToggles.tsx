import type { JSX } from 'react';
import { useLayout, type Side } from '../ui/layout-store';
import { usePanel } from '../ui/panel-store';
import { Icon } from './Icon';
import { shortcutLabel } from './shortcuts';

function Toggle({ icon, label, keys, shown, onClick, testId }: { icon: string; label: string; keys: string; shown: boolean; onClick(): void; testId: string }): JSX.Element {
  return (
    <button type="button" className={`tool layout-toggle${shown ? ' on' : ''}`} aria-pressed={shown} onClick={onClick} title={`${label} (${shortcutLabel(keys)})`} aria-label={label} data-testid={testId}>
      <Icon name={icon} />
    </button>
  );
}

/** Show or hide the sidebar, the bottom panel and the inspector: pressed while shown. */
export function LayoutToggles(): JSX.Element {
  const sidebar = useLayout((s) => !s.sides.sidebar.collapsed);
  const inspector = useLayout((s) => !s.sides.inspector.collapsed);
  const panel = usePanel((s) => s.open);
  const toggle = (side: Side) => () => useLayout.getState().toggle(side);
  return (
    <div className="layout-toggles" role="group" aria-label="Panels">
      <Toggle icon="side-left" label="Sidebar" keys="mod+b" shown={sidebar} onClick={toggle('sidebar')} testId="toggle-sidebar" />
      <Toggle icon="panel-bottom" label="Bottom panel" keys="mod+j" shown={panel} onClick={() => usePanel.getState().toggleOpen()} testId="toggle-panel" />
      <Toggle icon="side-right" label="Inspector" keys="mod+alt+b" shown={inspector} onClick={toggle('inspector')} testId="toggle-inspector" />
    </div>
  );
}
