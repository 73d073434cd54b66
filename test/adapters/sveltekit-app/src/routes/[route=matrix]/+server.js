import { matrixApp } from '../../matrix.js'

export const GET = (event) => matrixApp(event).routes.get(event.params.route)(event)
