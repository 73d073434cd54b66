// The part of workerd's built-in module that latchkey uses, so that the package
// needs no @cloudflare/workers-types. Not emitted: the public declarations never
// name this module (see sessions-object.ts).
declare module 'cloudflare:workers' {
  export abstract class DurableObject {
    constructor(ctx: unknown, env: unknown)
  }
}
