/**
 * The prototype a framework put between an object and Node's prototype for
 * it (Express's shared `request` or `response` between `req` and
 * `IncomingMessage.prototype`, `res` and `ServerResponse.prototype`), if any.
 */
export function frameworkPrototype(target: object, nodePrototype: object): object | undefined {
  let proto: object | null = Object.getPrototypeOf(target)
  if (proto === nodePrototype) return undefined
  while (proto) {
    const parent: object | null = Object.getPrototypeOf(proto)
    if (parent === nodePrototype) return proto
    proto = parent
  }
  return undefined
}
