import type { ServiceModel } from '../model.js';

/**
 * Monit's checks on `depends` once the whole file is read (reference D15): every named
 * service exists and the graph has no cycle. Returns the error messages, in Monit's words.
 */
export function validateDepends(services: readonly ServiceModel[]): string[] {
  if (!services.some((s) => s.depends.length > 0)) return [];
  const errors: string[] = [];
  const byName = new Map(services.map((s) => [s.name, s]));
  for (const s of services) {
    for (const dep of s.depends) {
      if (!byName.has(dep)) errors.push(`Depending service '${dep}' is not defined in the control file`);
    }
  }
  if (errors.length > 0) return errors;
  const done = new Set<string>();
  const onPath = new Set<string>();
  const visit = (s: ServiceModel): string | undefined => {
    if (onPath.has(s.name)) return s.name;
    if (done.has(s.name)) return undefined;
    onPath.add(s.name);
    for (const dep of s.depends) {
      const loop = visit(byName.get(dep)!);
      if (loop !== undefined) return loop;
    }
    onPath.delete(s.name);
    done.add(s.name);
    return undefined;
  };
  for (const s of services) {
    const loop = visit(s);
    if (loop !== undefined) {
      errors.push(`Found a depend loop in the control file involving the service '${loop}'`);
      break;
    }
  }
  return errors;
}
