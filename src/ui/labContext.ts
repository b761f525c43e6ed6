// React context carrying the Worker actions (start, pause, ...) to components.
import { createContext, useContext } from 'react';
import type { LabActions } from './workerBridge';

export const LabContext = createContext<LabActions | undefined>(undefined);

export function useLabActions(): LabActions {
  const a = useContext(LabContext);
  if (!a) throw new Error('useLabActions outside <LabContext.Provider>');
  return a;
}
