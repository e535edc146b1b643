// The World: what one scenario has declared so far, and the cluster realised from it (lazily,
// again whenever the declarations change; shared with earlier scenarios that declared the same).
// Steps stay thin: they add objects or ask the facade.
import { World, setWorldConstructor, BeforeStep, type IWorldOptions } from '@cucumber/cucumber';
import type { GherkinDocument } from '@cucumber/messages';
import type { Cluster } from '../src/cluster';
import { loadShared } from '../src/clustercache';
import type { InputSource } from '../src/manifests';
import type { ClusterConfig } from '../src/model/config';
import { InputErrors, formatErrors, type InputError } from '../src/model/errors';
import { setOrigin, type KObject } from '../src/model/types';
import type { SourcePos } from '../src/net/trace';
import { renderHops, type Hop } from '../src/net/trace';
import { TRACE_MEDIA_TYPE } from '../src/report/failures';

interface StepPlace {
  pos: SourcePos;
  /** first line of the doc string's content, and its column (gherkin strips the delimiter's indentation) */
  docStringLine?: number;
  docStringCol?: number;
}

export class NetspecWorld extends World {
  readonly sources: InputSource[] = [];
  readonly objects: KObject[] = [];
  overrides: Partial<ClusterConfig> = {};
  /** where the running step is written (file:line:col of the feature) */
  place: StepPlace = { pos: { file: '<unknown>', line: 0, col: 0 } };
  /** free slots for step files to keep their last results in */
  readonly last: Record<string, any> = {};
  private built: Cluster | null = null;
  /** runtime state given to each freshly loaded cluster (e.g. a node's IPVS counters); its errors are input errors */
  readonly afterLoad: ((c: Cluster) => InputError[])[] = [];

  constructor(options: IWorldOptions) { super(options); }

  /** Adds an object declared by a step; it remembers the step's position as its origin. */
  addObject<T extends KObject>(obj: T): T {
    setOrigin(obj, { ...this.place.pos });
    this.objects.push(obj);
    this.built = null;
    return obj;
  }

  /** Adds a manifest path or the running step's doc string. */
  addSource(src: InputSource): void {
    this.sources.push(src);
    this.built = null;
  }

  /** The doc string of the running step as a source positioned in the feature file. */
  docStringSource(text: string): InputSource {
    return { text, name: this.place.pos.file, line: this.place.docStringLine ?? this.place.pos.line + 1, col: this.place.docStringCol ?? this.place.pos.col };
  }

  setConfig(patch: Partial<ClusterConfig>): void {
    this.overrides = { ...this.overrides, ...patch };
    this.built = null;
  }

  /**
   * Replaces the realised cluster until the declarations change again (the probes' virtual clock
   * moves the scenario to the cluster as it stands at time t).
   */
  useCluster(c: Cluster): void { this.built = c; }

  /** The cluster realised so far, or null when no step asked for it (read by the end-of-run warnings, steps/warnings.ts). */
  get loaded(): Cluster | null { return this.built; }

  /** Forces a rebuild on the next query (after a step mutated declared objects in place). */
  invalidate(): void { this.built = null; }

  /** The realised cluster. Bad input fails the step with every error, formatted. */
  get cluster(): Cluster {
    const { cluster, errors } = this.tryLoad();
    if (errors) throw new Error(`the scenario's cluster has input errors:\n${formatErrors(errors.errors).map((x) => '  ' + x).join('\n')}`);
    return cluster;
  }

  /** Loads (once per set of declarations) and returns the InputErrors instead of failing (for specs about bad input). */
  tryLoad(): { cluster: Cluster; errors: null } | { cluster: null; errors: InputErrors } {
    if (!this.built) {
      try {
        // scenarios that declare the same inputs share one realised cluster, each with its own
        // facade and kube-proxy state (src/clustercache.ts); a changed declaration is another key
        const c = loadShared(this.sources, { objects: this.objects, overrides: this.overrides });
        const errs = this.afterLoad.flatMap((f) => f(c));
        if (errs.length) return { cluster: null, errors: new InputErrors(errs) };
        this.built = c;
      } catch (e) {
        if (e instanceof InputErrors) return { cluster: null, errors: e };
        throw e;
      }
    }
    return { cluster: this.built, errors: null };
  }

  /** Attaches text to the report (what a step computed, for the reader of a passing scenario too). */
  attachText(text: string): void {
    this.attach(text, { mediaType: 'text/plain' });
  }

  /** Attaches a trace to the report, titled (as a trace: the console prints it once, in a failing step's message). */
  attachTrace(title: string, hops: readonly Hop[]): void {
    this.attach(`${title}\n${renderHops(hops)}`, { mediaType: TRACE_MEDIA_TYPE });
  }
}

setWorldConstructor(NetspecWorld);

// Where each Gherkin step sits, so declared objects carry feature-file positions.
const placesByUri = new Map<string, Map<string, StepPlace>>();

function indexDocument(uri: string, doc: GherkinDocument): Map<string, StepPlace> {
  const m = new Map<string, StepPlace>();
  const visitSteps = (steps: readonly any[]) => {
    for (const s of steps) {
      m.set(s.id, {
        pos: { file: uri, line: s.location.line, col: s.location.column ?? 1 },
        docStringLine: s.docString ? s.docString.location.line + 1 : undefined,
        docStringCol: s.docString ? s.docString.location.column : undefined,
      });
    }
  };
  const visit = (children: readonly any[]) => {
    for (const c of children) {
      if (c.background) visitSteps(c.background.steps);
      if (c.scenario) visitSteps(c.scenario.steps);
      if (c.rule) visit(c.rule.children);
    }
  };
  if (doc.feature) visit(doc.feature.children);
  return m;
}

BeforeStep(function (this: NetspecWorld, { gherkinDocument, pickle, pickleStep }) {
  const uri = pickle.uri;
  let places = placesByUri.get(uri);
  if (!places) { places = indexDocument(uri, gherkinDocument); placesByUri.set(uri, places); }
  const id = pickleStep.astNodeIds[pickleStep.astNodeIds.length - 1];
  const first = pickleStep.astNodeIds[0];
  this.place = places.get(first) ?? places.get(id) ?? { pos: { file: uri, line: 0, col: 0 } };
});
