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
