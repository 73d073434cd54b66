import { matrixApp } from '../../../matrix.js'

const page = (event) => matrixApp(event).pages?.get(event.params.route) ?? {}

export const load = (event) => page(event).load?.(event) ?? {}

export const actions = { default: (event) => page(event).action?.(event) }
