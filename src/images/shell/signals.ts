/** Control-flow unwinding used by the interpreter: exit, break/continue, return. */

/** `exit` unwinding. */
export class ShellExit { constructor(readonly code: number) {} }
/** `break`/`continue` unwinding. */
export class LoopCtl { constructor(readonly kind: 'break' | 'continue', public n: number) {} }
/** `return` unwinding. */
export class FuncReturn { constructor(readonly code: number) {} }
/** The foreground command was interrupted (Ctrl-C) or the process was told to stop. */
export class Interrupted {}
