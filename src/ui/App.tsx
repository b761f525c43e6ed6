// Root component: the GPU check, the experiment panel and controls on the left, the
// status, runs table and charts on the right. Owns the lab Worker for the page's life.
import { useEffect, useMemo, useState } from 'react';
import { GpuPanel } from './GpuPanel';
import { useLabStore } from './store';
import { startLabWorker, type LabActions } from './workerBridge';
import { LabContext } from './labContext';
import { StartPrompt } from './StartPrompt';
import { Workspace } from './Workspace';
import { hasLink, restoreFromUrl, syncUrlWithExperiment } from './urlSync';
import { restoreExplorerFromUrl, syncUrlWithExplorer } from './explorer/explorerUrl';

/** Resolves once the GPU check has finished: true when a device is ready. */
function waitForGpu(): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      const g = useLabStore.getState().gpu.status;
      if (g === 'checking') return false;
      resolve(g === 'ready');
      return true;
    };
    if (check()) return;
    const unsub = useLabStore.subscribe(() => check() && unsub());
  });
}

function startWhenReady(actions: LabActions): void {
  void waitForGpu().then((ok) => {
    if (ok) void actions.start(useLabStore.getState().experiment);
  });
}

export function App() {
  const [actions, setActions] = useState<LabActions>();
  const gpu = useLabStore((s) => s.gpu);
  useEffect(() => {
    const lab = startLabWorker();
    setActions(lab.actions);
    let unsync = () => {};
    let alive = true;
    const linked = hasLink();
    // The explorer's own section of the link (its tab reopens with its settings).
    const explorerWarnings = restoreExplorerFromUrl();
    const unsyncExplorer = syncUrlWithExplorer();
    restoreFromUrl()
      .then((reading) => {
        if (!alive) return;
        if (explorerWarnings.length)
          useLabStore.getState().setNotice({ kind: 'error', text: `Explorer link: ${explorerWarnings.join('; ')}` });
        unsync = syncUrlWithExperiment();
        // Runs imported for this experiment come back after a reload.
        void lab.actions.pytorch.load(useLabStore.getState().experiment);
        if (!reading?.autostart) void lab.actions.saved.showLatest(linked);
        // A costly run=1 link waits for the user's yes (StartPrompt); a cheap one starts.
        else if (reading.confirm) useLabStore.getState().setStartPrompt(reading.confirm);
        else startWhenReady(lab.actions);
      })
      .catch((e: unknown) => useLabStore.getState().setNotice({ kind: 'error', text: String(e) }));
    return () => {
      alive = false;
      unsync();
      unsyncExplorer();
      lab.terminate();
    };
  }, []);
  const ready = gpu.status === 'ready' || gpu.status === 'lost';
  const content = useMemo(() => (actions && ready ? <Workspace /> : null), [actions, ready]);
  return (
    <LabContext.Provider value={actions}>
      <header className="app-header">
        <h1>Risotto Lab</h1>
        <p>How initialization shapes deep residual networks, trained on your own GPU.</p>
        <GpuPanel />
      </header>
      {actions ? <StartPrompt onStart={() => startWhenReady(actions)} /> : null}
      {content}
    </LabContext.Provider>
  );
}
