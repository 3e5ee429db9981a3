// Which warden features are present: a scenario that needs a service type or test no built
// plugin contributes is skipped with the reason printed (the bench only; tests never skip).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Map contribution ("service-type:process") → plugin folder, for plugins that are built and built in. */
export function availableContributions(root) {
  const builtins = readFileSync(join(root, 'core/src/plugins/builtins.generated.ts'), 'utf8');
  const have = new Map();
  const declared = new Map();
  for (const name of readdirSync(join(root, 'plugins'))) {
    const pkgPath = join(root, 'plugins', name, 'package.json');
    if (!existsSync(pkgPath)) continue;
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    const built = existsSync(join(root, 'plugins', name, 'dist/index.js')) && existsSync(join(root, 'node_modules', pkg.name));
    for (const c of pkg.warden?.contributes ?? []) {
      declared.set(c, name);
      if (built && builtins.includes(`'${pkg.name}'`)) have.set(c, name);
    }
  }
  return { have, declared };
}

/** Why `requires` cannot run now, or undefined when every contribution is there. */
export function missingReason(requires, contributions) {
  for (const c of requires) {
    if (contributions.have.has(c)) continue;
    const folder = contributions.declared.get(c);
    return folder
      ? `plugins/${folder} declares ${c} but is not built, linked and built in yet`
      : `no plugin contributes ${c} yet`;
  }
  return undefined;
}
