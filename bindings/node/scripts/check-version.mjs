// Fails the build when package.json's version differs from the Cargo workspace version: Cargo
// is the only place versions live, this manifest must follow it (and `version()` reports it).
import { readFileSync } from 'node:fs';

const here = new URL('../', import.meta.url);
const cargo = readFileSync(new URL('../../Cargo.toml', here), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('package.json', here), 'utf8'));

// The `version = "..."` line of the root manifest's [workspace.package] table.
const table = cargo.split(/^\[/m).find((t) => t.startsWith('workspace.package]'));
const cargoVersion = table && /^version\s*=\s*"([^"]+)"/m.exec(table)?.[1];
if (!cargoVersion) {
  console.error('check-version: no version in [workspace.package] of the root Cargo.toml');
  process.exit(1);
}
if (pkg.version !== cargoVersion) {
  console.error(
    `check-version: package.json has version ${pkg.version} but the Cargo workspace has ${cargoVersion}; make them equal`,
  );
  process.exit(1);
}
