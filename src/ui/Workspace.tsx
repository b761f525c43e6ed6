// The lab's main layout once a GPU is ready.
import { ChartsArea } from './ChartsArea';
import { Controls } from './panels/Controls';
import { ExperimentPanel } from './panels/ExperimentPanel';
import { RunsTable } from './panels/RunsTable';
import { StatusBar } from './panels/StatusBar';
import { Notice } from './Notice';
import { ResultsPanel } from './panels/ResultsPanel';

export function Workspace() {
  return (
    <div className="workspace">
      <aside className="sidebar">
        <ExperimentPanel />
      </aside>
      <main className="results">
        <Controls />
        <Notice />
        <StatusBar />
        <RunsTable />
        <ResultsPanel />
        <ChartsArea />
      </main>
    </div>
  );
}
