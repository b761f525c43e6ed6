// "Share" copies a link that reproduces the experiment (optionally starting it);
// "Presets" loads a named experiment from public/presets.
import { useEffect, useState } from 'react';
import type { PresetEntry } from '../../lab';
import { useLabStore } from '../store';
import { applyPreset, loadPresetIndex, shareLink } from '../urlSync';

export function SharePresets({ disabled }: { disabled: boolean }) {
  const experiment = useLabStore((s) => s.experiment);
  const [presets, setPresets] = useState<PresetEntry[]>([]);
  const [autostart, setAutostart] = useState(false);
  const [copied, setCopied] = useState<string>();
  useEffect(() => {
    loadPresetIndex().then(setPresets, () => setPresets([]));
  }, []);
  const share = async () => {
    const link = shareLink(experiment, autostart);
    try {
      await navigator.clipboard.writeText(link);
      setCopied(link);
    } catch {
      setCopied(link); // no clipboard permission: the link is shown to copy by hand
    }
  };
  return (
    <div className="share-presets">
      <button type="button" onClick={() => void share()}>
        Share
      </button>
      <label className="inline">
        <input type="checkbox" checked={autostart} onChange={(e) => setAutostart(e.target.checked)} /> start on open
      </label>
      <select
        aria-label="Named experiments"
        value=""
        disabled={disabled || presets.length === 0}
        onChange={(e) => {
          const entry = presets.find((p) => p.id === e.target.value);
          if (entry)
            void applyPreset(entry).catch((err: unknown) => useLabStore.getState().setNotice({ kind: 'error', text: String(err) }));
        }}
      >
        <option value="">Named experiments…</option>
        {presets.map((p) => (
          <option key={p.id} value={p.id} title={p.description}>
            {p.title}
          </option>
        ))}
      </select>
      {copied ? (
        <input
          className="share-link"
          aria-label="Share link"
          data-testid="share-link"
          readOnly
          value={copied}
          onFocus={(e) => e.target.select()}
        />
      ) : null}
    </div>
  );
}
