// One dismissible message for the user (errors, device loss, recoveries).
import { useLabStore } from './store';

export function Notice() {
  const notice = useLabStore((s) => s.notice);
  const setNotice = useLabStore((s) => s.setNotice);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
      <span>{notice.text}</span>
      <button type="button" onClick={() => setNotice(undefined)} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
