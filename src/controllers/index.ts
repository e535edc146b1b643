// The simulated control plane (stub signature; the controllers fill it in).
import type { KObject } from '../model/types';
import type { Diagnostics } from '../model/errors';
import type { ClusterConfig } from '../model/config';
import type { Realised } from '../model/realised';

/** Runs every controller over the desired state; semantic errors go to `diag`. Pure and deterministic. */
export function realise(_objects: readonly KObject[], _config: ClusterConfig, _diag: Diagnostics): Realised {
  throw new Error('realise: not implemented yet');
}
