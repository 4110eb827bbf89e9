export * from './sigv4/index.js'
