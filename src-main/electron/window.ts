import type { WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../../shared/csp';

/**
 * The renderer runs as a web page with no Node: context isolation, the Chromium sandbox,
 * no Node integration anywhere, web security on. It reaches the main process only through
 * the preload's bridge.
 */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** The CSP of the desktop window (the built page also carries it in a meta tag). */
export const DESKTOP_CSP = contentSecurityPolicy({ connect: [], frameAncestors: true });
