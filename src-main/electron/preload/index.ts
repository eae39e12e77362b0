// The preload of a sandboxed window: built as one self-contained CommonJS file
// (out/preload/index.cjs), since a sandboxed preload cannot load other modules.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('weir', createBridge(ipcRenderer));
