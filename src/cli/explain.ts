/** `knet explain SRC DST[:PORT][/PROTO]`: why a connection is allowed or dropped. */
import { explain as explainFlow } from '../analysis/explain.js';
import { buildModel } from '../analysis/model.js';
import { loadSource, runAnalysis, type SourceFlags } from './analysis-source.js';

/** Parsed `explain` flags. */
export interface ExplainFlags extends SourceFlags { namespace?: string }

/** Prints the explanation; exit code 0 when allowed, 1 when dropped or rejected, 2 on bad input. */
export function explain(src: string, dst: string, flags: ExplainFlags): Promise<number> {
  return runAnalysis(async () => {
    const source = await loadSource(flags);
    const e = explainFlow(buildModel(source.snapshot), src, dst, flags.namespace ?? source.namespace ?? 'default');
    process.stdout.write(e.text);
    return e.allowed ? 0 : 1;
  });
}
