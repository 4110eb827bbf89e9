import { createApp } from './app.js'

export { UpstreamGate } from './gate.js'
export default createApp()
