// The facade: load → realise → query. Steps and the CLI use only this (and the modules' index files).
import { defaultConfig, type ClusterConfig } from './model/config';
import { Diagnostics, InputErrors, type Warning } from './model/errors';
import type { KObject } from './model/types';
import type { Realised } from './model/realised';
import { loadSources, configFrom, type InputSource } from './manifests';
import { realise } from './controllers';

export interface ClusterOptions {
  /** settings that win over defaults and over config documents (from Gherkin or CLI flags) */
  overrides?: Partial<ClusterConfig>;
  /** objects made directly (Gherkin topology steps), already carrying their origin */
  objects?: KObject[];
}

export class Cluster {
  private constructor(readonly realised: Realised, readonly warnings: readonly Warning[]) {}

  /** Loads and realises; throws InputErrors carrying every error found. */
  static load(sources: InputSource[], opts: ClusterOptions = {}): Cluster {
    const diag = new Diagnostics();
    const loaded = loadSources(sources, diag);
    const all = [...(opts.objects ?? []), ...loaded];
    const { config, objects } = configFrom(all, defaultConfig(), diag);
    Object.assign(config, opts.overrides ?? {});
    if (!diag.ok) throw new InputErrors(diag.errors, diag.warnings);
    const realised = realise(objects, config, diag);
    diag.throwIfAny();
    return new Cluster(realised, [...diag.warnings, ...realised.warnings.filter((w) => !diag.warnings.includes(w))]);
  }
}

export { InputErrors };
