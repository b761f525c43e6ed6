// Asks before a link starts a costly run: the question (with the estimated cost) and two
// buttons. Nothing starts until the user says so; "Not now" leaves the experiment loaded.
import { useLabStore } from './store';

export function StartPrompt({ onStart }: { onStart: () => void }) {
  const question = useLabStore((s) => s.startPrompt);
  const setStartPrompt = useLabStore((s) => s.setStartPrompt);
  if (!question) return null;
  return (
    <div className="notice notice-info start-prompt" role="alertdialog" aria-label="Start this run?" data-testid="start-prompt">
      <span>{question}</span>
      <button
        type="button"
        onClick={() => {
          setStartPrompt(undefined);
          onStart();
        }}
      >
        Start training
      </button>
      <button type="button" onClick={() => setStartPrompt(undefined)}>
        Not now
      </button>
    </div>
  );
}
