// The page's list of imported (external, e.g. PyTorch) runs: merging a new import,
// removing one, and the run list the charts and runs table show (live runs first,
// then imported ones). Pure, so the replace-not-duplicate rule is tested.
import type { ExternalRun, RunState } from '../lab';

/** `current` with `incoming` in it: a run whose key is already there replaces it in
 * place (re-importing a file updates it), new keys are appended in import order. */
export function mergeExternalRuns(current: readonly ExternalRun[], incoming: readonly ExternalRun[]): ExternalRun[] {
  const byKey = new Map(incoming.map((r) => [r.key, r]));
  const merged = current.map((r) => byKey.get(r.key) ?? r);
  const known = new Set(current.map((r) => r.key));
  const added: ExternalRun[] = [];
  for (const r of incoming) {
    if (known.has(r.key)) continue;
    known.add(r.key);
    added.push(byKey.get(r.key)!);
  }
  return [...merged, ...added];
}

export function removeExternalRun(current: readonly ExternalRun[], key: string): ExternalRun[] {
  return current.filter((r) => r.key !== key);
}

/** What the charts and the runs table list: the comparison's runs, then the imported
 * ones. An imported run never hides a live one (their keys carry the tool's prefix). */
export function shownRuns(live: readonly RunState[] | undefined, external: readonly ExternalRun[]): RunState[] {
  const own = live ?? [];
  if (external.length === 0) return own as RunState[];
  const taken = new Set(own.map((r) => r.key));
  return [...own, ...external.filter((r) => !taken.has(r.key))];
}
