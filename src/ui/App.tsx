// Root component of the lab.
import { useEffect } from 'react';
import { GpuPanel } from './GpuPanel';
import { useLabStore } from './store';
import { startLabWorker } from './workerBridge';

export function App() {
  const setGpu = useLabStore((s) => s.setGpu);
  useEffect(() => {
    const lab = startLabWorker();
    lab.selfCheck().then(
      (check) => setGpu({ status: 'ready', check }),
      (e: unknown) => setGpu({ status: 'unavailable', message: e instanceof Error ? e.message : String(e) }),
    );
  }, [setGpu]);
  return (
    <main>
      <h1>Risotto Lab</h1>
      <p>How initialization shapes deep residual networks, trained on your own GPU.</p>
      <GpuPanel />
    </main>
  );
}
