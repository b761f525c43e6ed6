// The explorer's section of the address bar (src/lab/exploreLink.ts): read once on load
// (the tab opens with the link's settings, warnings shown), then kept equal to the
// explorer's settings while its tab is open and removed when it closes. The
// experiment's part of the fragment is left as it is.
import { decodeExplorer, encodeExplorer, joinExploreSection, splitExploreSection } from '../../lab';
import { useExplorerStore } from './explorerStore';

const fragment = () => location.hash.replace(/^#/, '');

/** Opens the explorer when the link has its section; returns the section's warnings. */
export function restoreExplorerFromUrl(): string[] {
  const { explore } = splitExploreSection(fragment());
  if (explore === undefined) return [];
  const { state, warnings } = decodeExplorer(explore);
  useExplorerStore.getState().setSettings(() => state);
  useExplorerStore.getState().setOpen(true);
  return warnings;
}

/** The explorer's section as the address bar should carry it now (undefined: none). */
export function currentExploreSection(): string | undefined {
  const s = useExplorerStore.getState();
  return s.open ? encodeExplorer(s.settings) : undefined;
}

export function syncUrlWithExplorer(): () => void {
  return useExplorerStore.subscribe((s, prev) => {
    if (s.open === prev.open && s.settings === prev.settings) return;
    const next = joinExploreSection(splitExploreSection(fragment()).rest, currentExploreSection());
    history.replaceState(null, '', `${location.pathname}${next ? `#${next}` : ''}`);
  });
}
