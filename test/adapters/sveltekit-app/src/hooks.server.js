import { sequence } from '@sveltejs/kit/hooks'
import { matrixApp } from './matrix.js'

// latchkey's hook in a sequence, as an app composes it, before a hook of the app's own.
export const handle = sequence(
  (input) => matrixApp(input.event).handle(input),
  ({ event, resolve }) => resolve(event),
)

export const handleError = (input) => matrixApp(input.event).handleError(input)
