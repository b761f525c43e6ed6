// The whole page accepts dropped dataset files: while files are dragged over the window
// a full-page overlay says so, and a drop anywhere hands them on. Also stops the browser
// from opening a file dropped next to the target. Rendered into <body> via a portal.
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { filesFromDrop, type NamedBlob } from './fileInput';

const carriesFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

export function DropZone({ onFiles, blocked }: { onFiles: (files: NamedBlob[]) => void; blocked?: string }) {
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed; only the balance says "left the page".
  const depth = useRef(0);
  const latest = useRef({ onFiles, blocked });
  latest.current = { onFiles, blocked };

  useEffect(() => {
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setOver(true);
    };
    const overPage = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = latest.current.blocked ? 'none' : 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      depth.current = 0;
      setOver(false);
      if (!e.dataTransfer || !carriesFiles(e)) return;
      e.preventDefault();
      // The drop's data is readable only during the event: take the plain list and the
      // folder entries now; walking the folders may continue after it.
      const plain = Array.from(e.dataTransfer.files, (f) => ({ name: f.name, blob: f as Blob }));
      void filesFromDrop(e.dataTransfer).then(
        (files) => latest.current.onFiles(files),
        () => latest.current.onFiles(plain),
      );
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overPage);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overPage);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  if (!over) return null;
  return createPortal(
    <div className={`drop-overlay${blocked ? ' drop-overlay-blocked' : ''}`} data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-box">
        <strong>{blocked ? 'Cannot upload now' : 'Drop dataset files to upload'}</strong>
        <span>
          {blocked ??
            'CIFAR-10/100 .bin batches, MNIST-style IDX files, pixel CSV, a zip of class folders of images, or tiny-imagenet-200.zip'}
        </span>
      </div>
    </div>,
    document.body,
  );
}
