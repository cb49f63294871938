/** Types of population.js (a plain-JS module, shared by the benchmarks and the timeline tests). */
export function population(options: { contacts: number; start: number; seed?: number }): {
  user: string;
  userRoles: string[];
  subject: string;
  docs: (Record<string, unknown> & { _id: string; type: string })[];
};
export function patientPopulation(options: { patients: number; start: number; seed?: number }): {
  user: string;
  userRoles: string[];
  subject: string;
  docs: (Record<string, unknown> & { _id: string; type: string })[];
};

/** A seeded generator of numbers in [0, 1) (mulberry32): the same seed, the same sequence. */
export function rng(seed: number): () => number;
