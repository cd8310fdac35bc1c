/** dig and host (BIND 9.20 wording) as most toolbox images have them; the BIND helpers they share. */
import { BIND_920 } from './bind.js';
import { digProgram, hostProgram } from './dig.js';

export { bindQuery, bindTries, dctx, rdata, type Ans } from './bind.js';

/** dig of BIND 9.20. */
export const dig = digProgram(BIND_920);

/** host of BIND 9.20. */
export const host = hostProgram(BIND_920);
