// A counter that Reset bumps so the form remounts its fields: a field holding bad text
// ("abc") whose stored value the reset does not change would otherwise keep the text.
import { create } from 'zustand';

export const useFormGeneration = create<{ generation: number; bump(): void }>((set) => ({
  generation: 0,
  bump: () => set((s) => ({ generation: s.generation + 1 })),
}));
