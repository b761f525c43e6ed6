// The lab's main layout once a GPU is ready: the training tab (experiment form, runs and
// charts) or the init explorer (its settings and charts, no training).
import { ChartsArea } from './ChartsArea';
import { Controls } from './panels/Controls';
import { ExperimentPanel } from './panels/ExperimentPanel';
import { RunsTable } from './panels/RunsTable';
import { StatusBar } from './panels/StatusBar';
import { Notice } from './Notice';
import { ResultsPanel } from './panels/ResultsPanel';
import { ProfilePanel } from './panels/ProfilePanel';
import { ExplorerControls } from './explorer/ExplorerControls';
import { ExplorerView } from './explorer/ExplorerView';
import { useExplorerStore } from './explorer/explorerStore';

function Tabs() {
  const open = useExplorerStore((s) => s.open);
  const setOpen = useExplorerStore((s) => s.setOpen);
  const tab = (explorer: boolean, label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={open === explorer}
      className={`tab${open === explorer ? ' tab-on' : ''}`}
      onClick={() => setOpen(explorer)}
    >
      {label}
    </button>
  );
  return (
    <nav className="tabs" role="tablist">
      {tab(false, 'Training')}
      {tab(true, 'Init explorer')}
    </nav>
  );
}

export function Workspace() {
  const explorer = useExplorerStore((s) => s.open);
  return (
    <div className="workspace">
      <aside className="sidebar">{explorer ? <ExplorerControls /> : <ExperimentPanel />}</aside>
      <main className="results">
        <Tabs />
        <Notice />
        {explorer ? (
          <ExplorerView />
        ) : (
          <>
            <Controls />
            <StatusBar />
            <RunsTable />
            <ResultsPanel />
            <ChartsArea />
            <ProfilePanel />
          </>
        )}
      </main>
    </div>
  );
}
