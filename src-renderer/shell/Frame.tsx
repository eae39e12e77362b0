import { useCallback, useEffect, useRef, useState, type JSX, type ReactNode, type RefObject } from 'react';
import { Group, Panel, Separator, usePanelRef, type Layout, type LayoutChangedMeta, type PanelImperativeHandle, type PanelSize } from 'react-resizable-panels';
import { useDoc } from '../document/doc-store';
import { SIDE_LIMITS, useLayout, type Side } from '../ui/layout-store';
import { PANEL_MIN, usePanel } from '../ui/panel-store';
import { BottomPanel } from './BottomPanel';
import { Sidebar } from './Sidebar';
import './frame.css';

/** The bottom panel's height when closed: its tab strip (bottom-panel.css, --tab-strip-h). */
export const TAB_STRIP_HEIGHT = 32;
/** The canvas never gets narrower or lower than this (px) by resizing the panels around it. */
const CANVAS_MIN_WIDTH = 320;
const CANVAS_MIN_HEIGHT = 120;

/** A collapsed panel keeps the size it had within a pixel of its collapsed size. */
const isCollapsedSize = (size: PanelSize, collapsed: number) => size.inPixels <= collapsed + 0.5;

/**
 * Runs `fn` with a panel's handle once its group knows the panel: a panel mounted into a live
 * group (the bottom panel when a pipeline opens) is registered a frame or so later, and its
 * handle throws until then.
 */
function withPanel(ref: RefObject<PanelImperativeHandle | null>, fn: (p: PanelImperativeHandle) => void, tries = 20): void {
  const p = ref.current;
  if (p) {
    try {
      fn(p);
      return;
    } catch {
      // not registered yet: try again next frame
    }
  }
  if (tries > 0) requestAnimationFrame(() => withPanel(ref, fn, tries - 1));
}

/**
 * Keeps a side panel as the layout store says: the top bar's toggles and the keys change the
 * store, this collapses or expands the panel (to its remembered width).
 */
function useSide(side: Side, ref: RefObject<PanelImperativeHandle | null>): void {
  const collapsed = useLayout((s) => s.sides[side].collapsed);
  useEffect(() => {
    withPanel(ref, (p) => {
      if (collapsed && !p.isCollapsed()) p.collapse();
      else if (!collapsed && p.isCollapsed()) p.resize(useLayout.getState().sides[side].size);
    });
  }, [collapsed, side, ref]);
}

/** What a side panel shows is out of the tab order while the panel is collapsed. */
function useShown(initial: boolean): [boolean, (size: PanelSize) => void] {
  const [shown, setShown] = useState(initial);
  const onResize = useCallback((size: PanelSize) => setShown(!isCollapsedSize(size, 0)), []);
  return [shown, onResize];
}

/** The canvas over the bottom panel, the panel resizable by its top edge and collapsible to its tabs. */
function Center({ canvas }: { canvas: ReactNode }): JSX.Element {
  const hasDoc = useDoc((s) => s.doc !== null);
  const open = usePanel((s) => s.open);
  const bottom = usePanelRef();
  const initial = useRef({ open, height: usePanel.getState().height }).current;

  // The tabs, the run and the close button open and close the panel through the store.
  useEffect(() => {
    if (!hasDoc) return;
    withPanel(bottom, (p) => {
      if (!open && !p.isCollapsed()) p.collapse();
      else if (open && p.isCollapsed()) p.resize(usePanel.getState().height);
    });
  }, [open, hasDoc, bottom]);

  // A drag (or the separator's keys) past the collapse threshold opens or closes the panel.
  const onResize = useCallback((size: PanelSize, _id: string | number | undefined, prev: PanelSize | undefined) => {
    if (!prev) return;
    const was = isCollapsedSize(prev, TAB_STRIP_HEIGHT);
    const now = isCollapsedSize(size, TAB_STRIP_HEIGHT);
    if (was !== now) usePanel.getState().setOpen(!now);
  }, []);
  const onLayoutChanged = useCallback(
    (_layout: Layout, meta: LayoutChangedMeta) => {
      if (!meta.isUserInteraction) return;
      // Read once the new sizes are drawn: a key press reports its layout before React renders it.
      requestAnimationFrame(() =>
        withPanel(bottom, (p) => {
          if (!p.isCollapsed()) usePanel.getState().setHeight(p.getSize().inPixels);
        }, 0),
      );
    },
    [bottom],
  );

  return (
    <Group orientation="vertical" id="weir-center" className="frame-center" onLayoutChanged={onLayoutChanged}>
      <Panel id="weir-canvas" minSize={CANVAS_MIN_HEIGHT} className="frame-panel" style={{ overflow: 'hidden' }}>
        {canvas}
      </Panel>
      {hasDoc && (
        <>
          <Separator id="weir-bottom-separator" className="frame-separator horizontal" aria-label="Resize the bottom panel" title="Drag, or focus and use ↑ ↓, to resize the panel" />
          <Panel
            id="weir-bottom"
            panelRef={bottom}
            collapsible
            collapsedSize={TAB_STRIP_HEIGHT}
            minSize={PANEL_MIN}
            maxSize="80%"
            defaultSize={initial.open ? initial.height : TAB_STRIP_HEIGHT}
            groupResizeBehavior="preserve-pixel-size"
            onResize={onResize}
            className="frame-panel"
            style={{ overflow: 'hidden' }}
          >
            <BottomPanel />
          </Panel>
        </>
      )}
    </Group>
  );
}

/**
 * The frame under the top bar: sidebar, canvas and bottom panel, inspector. Each side panel
 * and the bottom panel resizes by dragging its separator or with the keyboard (focus the
 * separator: arrow keys, Home/End; Enter collapses the sidebar), collapses (top bar toggles,
 * Ctrl+B, Ctrl+Alt+B, Ctrl+J), and is remembered (`ui/layout-store`, `ui/panel-store`).
 * react-resizable-panels does the resizing, its keyboard and ARIA. The canvas and the inspector
 * are handed in by App (the inspector's folder sits above the shell's).
 */
export function Frame({ canvas, inspector: inspectorView }: { canvas: ReactNode; inspector: ReactNode }): JSX.Element {
  const sidebar = usePanelRef();
  const inspector = usePanelRef();
  const initial = useRef(useLayout.getState().sides).current;
  const [sidebarShown, onSidebarResize] = useShown(!initial.sidebar.collapsed);
  const [inspectorShown, onInspectorResize] = useShown(!initial.inspector.collapsed);
  useSide('sidebar', sidebar);
  useSide('inspector', inspector);

  // Remembered: what the user left by dragging or with the keys, not what a small window forced.
  const onLayoutChanged = useCallback(
    (_layout: Layout, meta: LayoutChangedMeta) => {
      if (!meta.isUserInteraction) return;
      // Read once the new sizes are drawn: a key press reports its layout before React renders it.
      requestAnimationFrame(() => {
        for (const [side, ref] of [
          ['sidebar', sidebar],
          ['inspector', inspector],
        ] as const) {
          withPanel(ref, (p) => {
            const collapsed = p.isCollapsed();
            useLayout.getState().set(side, collapsed ? { collapsed } : { collapsed, size: p.getSize().inPixels });
          }, 0);
        }
      });
    },
    [sidebar, inspector],
  );

  const side = (s: Side) => ({
    collapsible: true,
    collapsedSize: 0,
    minSize: SIDE_LIMITS[s].min,
    maxSize: SIDE_LIMITS[s].max,
    defaultSize: initial[s].collapsed ? 0 : initial[s].size,
    groupResizeBehavior: 'preserve-pixel-size' as const,
    className: 'frame-panel',
    style: { overflow: 'hidden' },
  });

  return (
    <Group orientation="horizontal" id="weir-frame" className="main" onLayoutChanged={onLayoutChanged}>
      <Panel id="weir-sidebar" panelRef={sidebar} onResize={onSidebarResize} {...side('sidebar')}>
        <div className="frame-side" inert={!sidebarShown} data-testid="sidebar-panel">
          <Sidebar />
        </div>
      </Panel>
      <Separator id="weir-sidebar-separator" className="frame-separator vertical" aria-label="Resize the sidebar" title="Drag, or focus and use ← →, to resize the sidebar" />
      <Panel id="weir-main" minSize={CANVAS_MIN_WIDTH} className="frame-panel">
        <Center canvas={canvas} />
      </Panel>
      <Separator id="weir-inspector-separator" className="frame-separator vertical" aria-label="Resize the inspector" title="Drag, or focus and use ← →, to resize the inspector" />
      <Panel id="weir-inspector" panelRef={inspector} onResize={onInspectorResize} {...side('inspector')}>
        <div className="frame-side" inert={!inspectorShown} data-testid="inspector-panel">
          {inspectorView}
        </div>
      </Panel>
    </Group>
  );
}
