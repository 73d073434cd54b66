import { isRoute } from '../matrix.js'

// Only the matrix's routes: any other path is SvelteKit's own 404.
export const match = isRoute
