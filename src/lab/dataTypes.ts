// Dataset types re-exported for layers that may only import lab (ui, cli).
export type { Dataset } from '../data';
