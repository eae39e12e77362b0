import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The keyboard's side of a modal dialog: the focus goes into it as it opens (its first field,
 * else its primary button, else the dialog itself), Tab and Shift+Tab go round its own controls
 * (the page behind is inert, aria-modal), Escape calls `onEscape`, and when it goes the focus
 * returns to what had it before (a keyboard user is not left at the top of the page), unless the
 * dialog's action put the focus somewhere on purpose.
 */
export function useDialogFocus(ref: RefObject<HTMLElement | null>, onEscape: () => void, first = 'input, select, textarea, button.primary'): void {
  const escape = useRef(onEscape);
  escape.current = onEscape;
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    const dialog = ref.current;
    if (!dialog) return;
    const target = dialog.querySelector<HTMLElement>(first);
    if (!target && !dialog.hasAttribute('tabindex')) dialog.tabIndex = -1;
    // Without scrolling: a long dialog (the shortcuts) focused its Close button at the bottom and
    // opened scrolled past its title and first lines at 1024x700.
    (target ?? dialog).focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') escape.current();
      else if (e.key === 'Tab') keepTabInside(dialog, e);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      const now = document.activeElement;
      if (opener?.isConnected && (!now || now === document.body || dialog.contains(now))) opener.focus({ preventScroll: true });
    };
    // Once per opening: the dialog's element and its first control are those it opened with.
  }, []);
}

function keepTabInside(dialog: HTMLElement, e: KeyboardEvent): void {
  const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((x) => x.getClientRects().length > 0);
  if (!items.length) return;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  const active = document.activeElement;
  const inside = active instanceof HTMLElement && dialog.contains(active) && active !== dialog;
  if (e.shiftKey ? !inside || active === first : !inside || active === last) {
    e.preventDefault();
    (e.shiftKey ? last : first).focus();
  }
}
